"""Staff read integrations and their versions in the admin: owner, application, tier with its
history, the checklist as the rules evaluate it now, associated integrators, the last inbox
event; searched and filtered by tier, application and owner; nothing can be changed there; every
page costs the same number of queries whatever the data."""

import pytest
from django.urls import reverse

from integrations.models import Integration, IntegrationVersion, Tier
from integrations.tiers import engine as tiers
from tests.admin_forms import admin_url
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory, OrganizationFactory
from tests.integrations import tier_world as world

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(northwind, bluebird, alice):
    """Northwind's Magento integration at Ready, Bluebird associated, one verified inbox event."""
    integration, version = world.ready_integration(northwind, alice)
    world.accepted_association(integration, bluebird)
    assert tiers.recompute(integration, cause="built for the test") == Tier.READY
    return integration


def test_an_integrations_page_shows_owner_application_tier_history_checklist_integrators_and_last_event(ready, sam):
    page = client_for(sam).get(admin_url(Integration, "change", ready.pk)).content.decode()
    assert "Northwind Integrations" in page and "Magento" in page
    assert "built for the test" in page and "Not yet Compatible" in page  # the tier change, with its cause
    assert "Ready: all" in page and "requirements pass" in page  # the checklist, evaluated now
    assert "Certified:" in page and "To do" in page
    assert "Bluebird Connect (Accepted)" in page
    assert "customer/created at" in page


def test_the_checklist_is_evaluated_when_the_page_is_read_not_from_the_stored_tier(ready, sam):
    ready.inbox_events.all().delete()  # nothing recomputed: the stored tier still says Ready
    page = client_for(sam).get(admin_url(Integration, "change", ready.pk)).content.decode()
    assert "No verified test event yet." in page
    assert "Ready: 1 of" in page


def test_integrations_are_searched_and_filtered_by_tier_application_and_owner(ready, sam, bluebird):
    other = IntegrationFactory(owner=bluebird, name="Shopify by Bluebird")
    client = client_for(sam)
    changelist = admin_url(Integration, "changelist")

    def listed(**query) -> set[str]:
        response = client.get(changelist, query)
        return {integration.name for integration in response.context["cl"].result_list}

    assert listed(q="Bluebird") == {other.name}
    assert listed(tier__exact=Tier.READY) == {ready.name}
    assert listed(application__id__exact=ready.application_id) == {ready.name}
    assert listed(owner__id__exact=bluebird.pk) == {other.name}
    assert "Ready" in client.get(changelist).content.decode()  # the tier as a word


def test_integration_pages_are_read_only(ready, sam):
    client = client_for(sam)
    page = client.get(admin_url(Integration, "change", ready.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(admin_url(Integration, "change", ready.pk), {"name": "Renamed", "tier": Tier.ONE_CLICK})
    ready.refresh_from_db()
    assert (ready.name, ready.tier) == ("Magento by Northwind", Tier.READY)
    assert client.get(admin_url(Integration, "add")).status_code == 403
    assert client.post(admin_url(Integration, "delete", ready.pk), {"post": "yes"}).status_code == 403
    assert Integration.objects.filter(pk=ready.pk).exists()


def test_a_versions_page_shows_its_supported_application_versions_and_checklist(ready, sam):
    version = ready.versions.get()
    page = client_for(sam).get(admin_url(IntegrationVersion, "change", version.pk)).content.decode()
    assert "Open Source 2.4.x" in page and "Open Source 2.5.x" in page
    assert "Ready: all" in page


def test_versions_are_filtered_by_tier_application_and_owner(ready, sam, bluebird):
    IntegrationVersionFactory(integration=IntegrationFactory(owner=bluebird), number="3.0.0")
    client = client_for(sam)
    changelist = admin_url(IntegrationVersion, "changelist")

    def listed(**query) -> set[str]:
        return {str(v) for v in client.get(changelist, query).context["cl"].result_list}

    assert listed(tier__exact=Tier.READY) == {"Magento by Northwind 1.0.0"}
    assert listed(integration__owner__id__exact=bluebird.pk) != set()
    assert listed(integration__application__id__exact=ready.application_id) == {"Magento by Northwind 1.0.0"}


def _grow(integration, n: int) -> None:
    """More of everything the pages show: integrations, versions, tier changes, associations."""
    for i in range(n):
        owner = OrganizationFactory(is_integrator=True)
        IntegrationVersionFactory(integration=IntegrationFactory(owner=owner), number=f"2.{i}.0")
        IntegrationVersionFactory(integration=integration, number=f"0.{i}.0")
        integration.tier_changes.create(from_tier=Tier.NONE, to_tier=Tier.COMPATIBLE, cause=f"change {i}")
        world.accepted_association(integration, owner)
        world.verified_event(integration, webhook_id=f"msg_more_{i}")


@pytest.mark.parametrize(
    "url",
    [
        lambda integration: admin_url(Integration, "changelist"),
        lambda integration: admin_url(Integration, "change", integration.pk),
        lambda integration: admin_url(IntegrationVersion, "changelist"),
        lambda integration: admin_url(IntegrationVersion, "change", integration.versions.get(number="1.0.0").pk),
    ],
    ids=["integrations", "an integration", "versions", "a version"],
)
def test_integration_admin_pages_cost_the_same_queries_whatever_the_data(
    url, ready, sam, django_assert_max_num_queries
):
    client = client_for(sam)
    client.get(url(ready))
    with django_assert_max_num_queries(40) as few:
        assert client.get(url(ready)).status_code == 200
    _grow(ready, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url(ready)).status_code == 200


def test_the_admin_home_lists_integrations(sam):
    page = client_for(sam).get(reverse("admin:index")).content.decode()
    assert admin_url(Integration, "changelist") in page and admin_url(IntegrationVersion, "changelist") in page
