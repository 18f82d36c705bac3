"""Creating and editing integrations and their versions through the pages, the dashboard, the
private workspace page and the application's public list."""

import io

import pytest
from django.urls import reverse

from integrations.models import (
    InboxEvent,
    Integration,
    IntegrationVersion,
    NdaStatus,
    Tier,
    VersionStatus,
    WebhookScope,
)
from integrations.tiers import engine as tiers
from integrations.workspace import services as actions
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.conftest import client_for
from tests.factories import (
    ApplicationFactory,
    ApplicationVersionFactory,
    IntegrationFactory,
    IntegrationVersionFactory,
)
from tests.integrations import tier_world as world

pytestmark = pytest.mark.django_db


@pytest.fixture
def magento(db):
    return world.magento_with_versions(labels=["Open Source 2.3.x", "Open Source 2.4.x", "Open Source 2.5.x"])


def declaration_data(application=None, **overrides) -> dict:
    data = {
        "name": "Magento by Northwind",
        "kind": "dynamic",
        "has_hook": "on",
        "has_event": "on",
        "hosts_multitenant_cloud": "on",
        "hosts_on_premise": "on",
        "description": "Keeps Magento and iPaaS.com in step.",
        "features": "Customers\nOrders",
        "data_movement": "Customers and orders to iPaaS.com; products from it.",
        "workflow_documentation": "1. Install\n2. Map",
        "scopes": "customer/created\nproduct/updated\n\ncustomer/created\n",
        "price_up_front": "100",
        "price_per_month": "0",
        "brief_typical_market": "Mid-market retail",
        "brief_ideal_buyer": "Retailers on Magento 2.4",
        "brief_positioning": "Open-source commerce",
        "value_proposition": "No more CSV exports",
        "target_customers": "Magento merchants",
        "business_logic": "Orders flow nightly",
        "known_gaps": "No B2B quotes",
        "nda_status": NdaStatus.SIGNED,
        "contact_integrator": "Alice, alice@northwind.example.com",
        "contact_third_party": "Paula at Adobe",
        "contact_red_rook": "Sam at Red Rook",
        "sdk_package": "",
        "sdk_language": "",
        "sdk_url": "",
        "sdk_version": "",
    }
    if application is not None:
        data["application"] = application.pk
    return {**data, **overrides}


# --- create ----------------------------------------------------------------------------


def test_an_integrator_creates_an_integration_with_every_declared_field(alice, northwind, magento):
    application, _ = magento
    response = client_for(alice).post(reverse("integration_create"), declaration_data(application))
    integration = Integration.objects.get()
    assert response.status_code == 302 and response["Location"] == integration.get_absolute_url()
    assert (integration.owner, integration.application, integration.name) == (
        northwind,
        application,
        "Magento by Northwind",
    )
    assert integration.event_services == ["Hook", "Event"]
    assert integration.hosting_models == ["Multitenant cloud", "On-premise"]
    assert integration.feature_list == ["Customers", "Orders"]
    assert (integration.price_up_front, integration.price_per_month) == (100, 0)
    assert integration.nda_status == NdaStatus.SIGNED and integration.contact_red_rook == "Sam at Red Rook"
    assert integration.brief_positioning == "Open-source commerce" and integration.known_gaps == "No B2B quotes"
    assert sorted(integration.scopes.values_list("name", flat=True)) == ["customer/created", "product/updated"]
    assert AuditEvent.objects.filter(kind="integration.created", actor=alice).exists()


def test_the_name_defaults_to_the_application_and_the_organization(alice, magento):
    client_for(alice).post(reverse("integration_create"), declaration_data(magento[0], name=""))
    assert Integration.objects.get().name == "Magento by Northwind Integrations"


def test_the_create_page_lists_published_applications_and_preselects_one(alice, magento):
    application, _ = magento
    ApplicationFactory(name="Hidden draft", is_published=False)
    response = client_for(alice).get(reverse("integration_create") + f"?application={application.slug}")
    field = response.context["form"]["application"]
    assert list(field.field.queryset) == [application]
    assert field.value() == application.pk


def test_a_draft_application_cannot_be_chosen(alice, magento):
    draft = ApplicationFactory(is_published=False)
    response = client_for(alice).post(reverse("integration_create"), declaration_data(draft))
    assert response.status_code == 200 and "application" in response.context["form"].errors
    assert not Integration.objects.exists()


@pytest.mark.parametrize(
    ("scopes", "says"),
    [
        ("Customer Created", "is not a webhook scope"),
        ("customer", "is not a webhook scope"),
        ("a/" + "b" * 130, "longer"),
    ],
)
def test_a_bad_webhook_scope_is_refused_with_a_clear_message(alice, magento, scopes, says):
    response = client_for(alice).post(reverse("integration_create"), declaration_data(magento[0], scopes=scopes))
    assert response.status_code == 200
    assert says in " ".join(response.context["form"].errors["scopes"])
    assert not Integration.objects.exists()


def test_a_negative_price_is_refused(alice, magento):
    response = client_for(alice).post(reverse("integration_create"), declaration_data(magento[0], price_per_month="-1"))
    assert "price_per_month" in response.context["form"].errors
    assert not Integration.objects.exists()


def test_a_customer_organization_cannot_create_integrations(carol, acme, magento):
    with pytest.raises(ActionRefused):
        actions.create_integration(acme, acting_user=carol, application=magento[0], name="Nope")
    assert client_for(carol).get(reverse("integration_create")).status_code == 403


def test_a_plain_member_cannot_create_an_integration(ivy):
    assert client_for(ivy).get(reverse("integration_create")).status_code == 403


# --- edit --------------------------------------------------------------------------------


@pytest.fixture
def integration(northwind, magento):
    application, versions = magento
    integration, version = world.compatible_integration(northwind, application, versions)
    tiers.recompute(integration, cause="setup")
    return integration


def test_the_owner_edits_the_declarations_and_pricing(alice, integration):
    data = declaration_data(name="Renamed", price_up_front="5", scopes="order/created")
    response = client_for(alice).post(reverse("integration_edit", args=[integration.slug]), data)
    assert response.status_code == 302
    integration.refresh_from_db()
    assert (integration.name, integration.price_up_front) == ("Renamed", 5)
    assert list(integration.scopes.values_list("name", flat=True)) == ["order/created"]


def test_the_edit_form_shows_the_current_scopes_one_per_line(alice, integration):
    WebhookScope.objects.create(integration=integration, name="product/updated")
    response = client_for(alice).get(reverse("integration_edit", args=[integration.slug]))
    assert response.context["form"]["scopes"].value() == "customer/created\nproduct/updated"


def test_an_associated_integrator_edits_declarations_but_not_pricing_or_the_brief(bob, bluebird, integration):
    world.accepted_association(integration, bluebird)
    client = client_for(bob)
    form = client.get(reverse("integration_edit", args=[integration.slug])).context["form"]
    assert not {"name", "price_up_front", "price_per_month", "brief_positioning"} & set(form.fields)
    data = declaration_data(price_up_front="999", brief_positioning="Bob's take", description="Bob's words")
    assert client.post(reverse("integration_edit", args=[integration.slug]), data).status_code == 302
    integration.refresh_from_db()
    assert integration.description == "Bob's words"
    assert integration.price_up_front == 0 and integration.brief_positioning == ""


def test_the_action_refuses_owner_only_fields_from_an_associated_integrator(bob, bluebird, integration):
    world.accepted_association(integration, bluebird)
    with pytest.raises(ActionRefused, match="pricing"):
        actions.update_integration(integration, acting_user=bob, acting_organization=bluebird, price_per_month=1)


def test_another_organization_cannot_edit(bob, integration):
    assert client_for(bob).get(reverse("integration_edit", args=[integration.slug])).status_code == 404
    with pytest.raises(ActionRefused):
        actions.update_integration(integration, acting_user=bob, acting_organization=bob.memberships.get().organization)


def test_removing_a_seen_scope_keeps_its_events_and_the_pages_work(alice, northwind, integration):
    scope = integration.scopes.get()
    scope.first_seen_at = scope.integration.created_at
    scope.save()
    world.verified_event(integration, scope="customer/created")
    actions.update_integration(integration, acting_user=alice, acting_organization=northwind, scopes=["order/created"])
    assert list(integration.scopes.values_list("name", flat=True)) == ["order/created"]
    assert InboxEvent.objects.filter(integration=integration, scope="customer/created").exists()
    assert client_for(alice).get(integration.get_absolute_url()).status_code == 200


def test_keeping_a_scope_keeps_when_it_was_first_seen(alice, northwind, integration):
    scope = integration.scopes.get()
    scope.first_seen_at = integration.created_at
    scope.save()
    actions.update_integration(
        integration, acting_user=alice, acting_organization=northwind, scopes=["Customer/created".lower(), "x/y"]
    )
    assert integration.scopes.get(name="customer/created").first_seen_at == integration.created_at


# --- versions ----------------------------------------------------------------------------


def test_a_version_is_created_with_notes_and_supported_versions(alice, integration, magento):
    _, versions = magento
    url = reverse("integration_version_create", args=[integration.slug])
    data = {"number": "1.1.0", "release_notes": "Faster", "supported_versions": [versions[0].pk, versions[1].pk]}
    assert client_for(alice).post(url, data).status_code == 302
    version = integration.versions.get(number="1.1.0")
    assert version.status == VersionStatus.DRAFT and version.release_notes == "Faster"
    assert set(version.supported_versions.all()) == {versions[0], versions[1]}


def test_the_version_form_lists_only_this_applications_versions(alice, integration, magento):
    other = ApplicationVersionFactory(label="Shopify 2025-01")
    url = reverse("integration_version_create", args=[integration.slug])
    client = client_for(alice)
    choices = list(client.get(url).context["form"].fields["supported_versions"].queryset)
    assert other not in choices and set(choices) == set(magento[1])
    response = client.post(url, {"number": "1.2.0", "supported_versions": [other.pk]})
    assert "supported_versions" in response.context["form"].errors
    assert not integration.versions.filter(number="1.2.0").exists()


def test_a_version_number_must_be_semantic(alice, integration):
    response = client_for(alice).post(reverse("integration_version_create", args=[integration.slug]), {"number": "v1"})
    assert "semantic version" in " ".join(response.context["form"].errors["number"])


def test_a_duplicate_version_number_is_refused_with_a_clear_message(alice, integration):
    response = client_for(alice).post(
        reverse("integration_version_create", args=[integration.slug]), {"number": "1.0.0"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == ["Magento by Northwind already has a version 1.0.0."]
    assert integration.versions.count() == 1


def test_the_database_constraint_refuses_a_duplicate_that_slipped_past_the_check(alice, integration, monkeypatch):
    monkeypatch.setattr(actions, "_refuse_duplicate_number", lambda *args, **kwargs: None)
    with pytest.raises(ActionRefused, match="already has a version 1.0.0"):
        actions.create_integration_version(integration, acting_user=alice, number="1.0.0")
    assert integration.versions.count() == 1


def test_renaming_a_version_to_an_existing_number_is_refused(alice, integration):
    other = IntegrationVersionFactory(integration=integration, number="2.0.0")
    url = reverse("integration_version_edit", args=[integration.slug, other.public_id])
    response = client_for(alice).post(url, {"number": "1.0.0"})
    assert "already has a version 1.0.0" in response.context["form"].errors["number"][0]


def test_the_edit_form_shows_the_supported_versions(alice, integration, magento):
    version = integration.versions.get()
    url = reverse("integration_version_edit", args=[integration.slug, version.public_id])
    form = client_for(alice).get(url).context["form"]
    assert set(form["supported_versions"].value()) == {v.pk for v in magento[1]}


def test_publishing_moves_a_draft_to_published_once(alice, integration):
    draft = IntegrationVersionFactory(integration=integration, number="1.1.0")
    url = reverse("integration_version_publish", args=[integration.slug, draft.public_id])
    client = client_for(alice)
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.published_at
    audit = AuditEvent.objects.get(kind="integration_version.published")
    assert (audit.from_state, audit.to_state) == ("draft", "published")
    response = client.post(url, follow=True)
    assert "already published" in [str(m) for m in response.context["messages"]][-1]
    assert AuditEvent.objects.filter(kind="integration_version.published").count() == 1


def test_another_organizations_version_is_not_found(bob, integration):
    version = integration.versions.get()
    url = reverse("integration_version_publish", args=[integration.slug, version.public_id])
    assert client_for(bob).post(url).status_code == 404


# --- the workspace page --------------------------------------------------------------------


def test_the_detail_page_shows_the_declarations_checklists_and_history(
    alice, integration, django_assert_max_num_queries
):
    # 38, and what the scoring app adds: its latest snapshot and a standing hide warning (none here)
    with django_assert_max_num_queries(41):
        response = client_for(alice).get(integration.get_absolute_url())
    page = response.content.decode()
    assert response.context["version"].number == "1.0.0"
    assert [c.tier for c in response.context["checklists"]][:2] == [Tier.COMPATIBLE, Tier.READY]
    assert "Send a signed test event" in page  # the next thing to do, with its link
    assert reverse("integration_inbox", args=[integration.slug]) in page
    assert "customer/created" in page and "Customers and orders" in page
    assert "setup" in page  # the tier change's cause


def test_the_detail_page_costs_the_same_with_many_versions_and_scopes(alice, integration, django_assert_num_queries):
    client = client_for(alice)
    client.get(integration.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(integration.get_absolute_url())
    for n in range(5):
        IntegrationVersionFactory(integration=integration, number=f"0.{n}.0").supported_versions.set(
            integration.application.versions.all()
        )
        WebhookScope.objects.create(integration=integration, name=f"thing{n}/created")
    with CaptureQueriesContext(connection) as many:
        client.get(integration.get_absolute_url())
    assert len(many) == len(few)


def test_the_detail_page_offers_designation_when_the_rules_allow(alice, ivy, integration):
    world.verified_event(integration)
    version = integration.versions.get()
    response = client_for(ivy).get(integration.get_absolute_url())
    assert response.context["may_designate"]
    url = reverse("integration_designate_ready", args=[integration.slug, version.public_id])
    response = client_for(ivy).post(url, follow=True)
    assert "designated ready" in [str(m) for m in response.context["messages"]][0]
    integration.refresh_from_db()
    assert integration.tier == Tier.READY


def test_designation_refused_by_the_page_changes_nothing(alice, integration):
    version = integration.versions.get()
    url = reverse("integration_designate_ready", args=[integration.slug, version.public_id])
    response = client_for(alice).post(url, follow=True)
    assert "every other" in [str(m) for m in response.context["messages"]][0]
    version.refresh_from_db()
    assert version.ready_designated_at is None


def test_an_associated_integrator_sees_the_workspace(bob, bluebird, integration):
    world.accepted_association(integration, bluebird)
    assert client_for(bob).get(integration.get_absolute_url()).status_code == 200


# --- the dashboard -----------------------------------------------------------------------


def test_the_dashboard_lists_owned_and_granted_integrations_with_progress(alice, northwind, bluebird, integration):
    granted = IntegrationFactory(owner=bluebird, name="Shopify by Bluebird")
    world.accepted_association(granted, northwind)
    IntegrationFactory(owner=bluebird, name="Not ours")
    response = client_for(alice).get(reverse("integration_dashboard"))
    rows = response.context["rows"]
    assert [row.integration.name for row in rows] == ["Magento by Northwind", "Shopify by Bluebird"]
    compatible = rows[0].progress[0]
    assert (compatible.tier, compatible.passed, compatible.total) == (Tier.COMPATIBLE, 7, 7)
    ready = rows[0].progress[1]
    assert (ready.passed, ready.total) == (1, 3)
    assert "Send a signed test event" in rows[0].next_message
    assert not rows[1].is_owner and rows[1].version is None
    assert b"Compatible" in response.content


def test_the_dashboard_draws_a_labelled_progress_bar_a_tier_with_counts_pluralized(alice, integration):
    page = client_for(alice).get(reverse("integration_dashboard")).content.decode()
    assert (
        '<div><dt>Compatible</dt><dd><progress value="7" max="7" aria-label="Compatible: 7 of 7 requirements pass">'
        "</progress> 7 of 7</dd></div>"
    ) in page
    assert 'aria-label="Ready: 1 of 3 requirements passes"' in page


def test_the_dashboard_progress_matches_the_engine(alice, integration):
    row = client_for(alice).get(reverse("integration_dashboard")).context["rows"][0]
    version = integration.versions.get()
    expected = [(c.tier, sum(r.passed for _, r in c.results)) for c in tiers.evaluate(version) if c.results]
    assert [(p.tier, p.passed) for p in row.progress] == expected


def test_recompute_keeps_each_versions_checklist_summary_as_the_engine_evaluates_it(integration):
    tiers.recompute(integration, cause="test")
    for version in integration.versions.all():
        assert version.checklist == tiers.checklist_summary(tiers.evaluate(version))
    (version,) = integration.versions.all()
    assert version.checklist["progress"][0] == [Tier.COMPATIBLE, 7, 7]
    assert "Send a signed test event" in version.checklist["next"]


def test_the_dashboard_reads_the_kept_summary_without_evaluating_a_rule(alice, integration, monkeypatch):
    tiers.recompute(integration, cause="test")
    monkeypatch.setattr(tiers, "evaluate", lambda *args, **kwargs: pytest.fail("evaluated on the dashboard"))
    row = client_for(alice).get(reverse("integration_dashboard")).context["rows"][0]
    assert [(p.tier, p.passed, p.total) for p in row.progress][:2] == [(Tier.COMPATIBLE, 7, 7), (Tier.READY, 1, 3)]
    assert "Send a signed test event" in row.next_message


def test_a_change_through_an_action_shows_on_the_dashboard_at_once(alice, integration):
    from integrations.inbox import services as inbox_services
    from tests.integrations.inbox.test_inbox import body_for, send, signed

    WebhookScope.objects.get_or_create(integration=integration, name="customer/created")
    client = client_for(alice)
    tiers.recompute(integration, cause="test")
    assert "Send a signed test event" in client.get(reverse("integration_dashboard")).context["rows"][0].next_message
    inbox = inbox_services.create_inbox(integration, acting_user=alice)
    assert send(inbox, body_for(), signed(inbox.secret, body_for())).status_code == 202  # the inbox recomputes
    row = client.get(reverse("integration_dashboard")).context["rows"][0]
    assert "Send a signed test event" not in row.next_message
    assert row.progress[1].passed == 2


def test_versions_without_a_summary_are_given_the_engines_once_and_a_newer_one_is_kept(
    integration, northwind, magento, monkeypatch
):
    from django.core.management import call_command

    from integrations.workspace.services import fill_missing_checklists

    other, _ = world.compatible_integration(northwind, magento[0], magento[1])
    IntegrationVersion.objects.update(checklist=None)
    newer = {"progress": [[Tier.COMPATIBLE, 1, 7]], "next": "written by a recompute meanwhile"}
    IntegrationVersion.objects.filter(integration=other).update(checklist=newer)

    call_command("fill_tier_checklists", stdout=io.StringIO())

    version = integration.versions.get()
    assert version.checklist == tiers.checklist_summary(tiers.evaluate(version))
    assert other.versions.get().checklist == newer  # not replaced
    IntegrationVersionFactory(integration=integration, number="0.9.0")  # older: never shown, never filled
    monkeypatch.setattr(
        "integrations.workspace.selectors.evaluated_checklists", lambda ids: pytest.fail(f"evaluated {ids} again")
    )
    assert fill_missing_checklists() == 0  # nothing the dashboard shows is left to fill


def test_the_dashboard_costs_the_same_whatever_the_number_of_integrations(
    alice, northwind, magento, integration, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # both visits work the version alerts out, none reads them kept

    def another(n):  # with versions the tier engine never summarized: evaluated on the page
        other, version = world.compatible_integration(northwind, magento[0], magento[1])
        world.verified_event(other, webhook_id=f"m{n}")
        IntegrationVersionFactory(integration=other, number="2.0.0")
        IntegrationVersion.objects.filter(integration=other).update(checklist=None)

    another(0)
    client = client_for(alice)
    client.get(reverse("integration_dashboard"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("integration_dashboard"))
    for n in range(1, 5):
        another(n)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("integration_dashboard"))
    assert len(many) == len(few)


# --- the public application page -----------------------------------------------------------


def test_the_application_page_lists_integrations_from_compatible_with_their_tier(bluebird, integration):
    hidden = IntegrationFactory(owner=bluebird, application=integration.application, name="Still building")
    response = client_for(None).get(integration.application.get_absolute_url())
    page = response.content.decode()
    assert list(response.context["integrations"]) == [integration]
    assert "Magento by Northwind" in page and "tier-compatible" in page
    assert hidden.name not in page


def test_the_application_page_costs_the_same_whatever_the_number_of_integrations(
    northwind, integration, django_assert_max_num_queries
):
    client = client_for(None)
    url = integration.application.get_absolute_url()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        Integration.objects.filter(pk=IntegrationFactory(application=integration.application).pk).update(
            tier=Tier.READY
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["integrations"]) == 5
    assert len(many) == len(few)


def test_the_home_page_shows_the_integration_count(alice, integration):
    response = client_for(alice).get(reverse("home"))
    assert b"1 integration" in response.content
    assert reverse("integration_dashboard").encode() in response.content


def test_versions_belong_to_their_integration(integration):
    assert IntegrationVersion.objects.filter(integration=integration).count() == 1
