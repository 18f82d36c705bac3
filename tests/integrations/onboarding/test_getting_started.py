"""The getting-started page: the path for the organization's kinds, each step done or to do, and
"do it" links that land on the form field that fixes the step."""

import re

import pytest
from django.urls import reverse

from integrations import onboarding
from integrations.models import IntegrationKind, Tier, VersionStatus
from integrations.tiers import engine as tiers
from portal.models import Role
from tests.conftest import client_for
from tests.factories import ApplicationVersionFactory, IntegrationFactory, IntegrationVersionFactory, MembershipFactory
from tests.integrations.tier_world import complete_provider, magento_with_versions

DO_IT = re.compile(r'<a href="([^"]+)" aria-label="Do it: ([^"]+)">Do it</a>')


def do_it_links(page: str) -> dict[str, str]:
    return {title: href.replace("&amp;", "&") for href, title in DO_IT.findall(page)}


def lands_on(client, url: str) -> bool:
    """The page answers, and the element the fragment names is on it."""
    path, _, fragment = url.partition("#")
    page = client.get(path)
    return page.status_code == 200 and (not fragment or f'id="{fragment}"' in page.content.decode())


def test_creating_an_organization_leads_to_its_getting_started_page(alice):
    client = client_for(alice)
    answer = client.post(
        reverse("organization_create"),
        {"name": "Harbor Apps", "kinds": ["provider"], "website": "harbor.example.com", "form_token": "x"},
    )
    assert answer.status_code == 302
    assert answer.url == reverse("getting_started")
    page = client.get(answer.url).content.decode()
    assert "Getting started with Harbor Apps" in page
    assert "As an application provider" in page
    assert "As an integrator" not in page


def test_a_new_providers_steps_are_all_to_do_and_each_link_lands_on_its_field(alice, provider):
    """Northwind is an integrator and a provider here: both paths, each from its start."""
    provider.website = ""
    provider.save(update_fields=["website"])
    client = client_for(alice)
    page = client.get(reverse("getting_started")).content.decode()
    links = do_it_links(page)
    assert links == {
        "Complete the provider profile": reverse("public_profile_edit") + "#id_website",
        "Register an application": reverse("application_create"),
        "Create an integration": reverse("integration_create"),
    }
    assert all(lands_on(client, url) for url in links.values())


def test_a_provider_whose_registration_is_done_is_offered_to_build_an_integration(db):
    provider = complete_provider()
    application, _ = magento_with_versions(provider)
    steps = {step.title: step for step in onboarding.provider_path(provider)}
    assert [title for title, step in steps.items() if not step.done] == ["Build an integration"]
    assert steps["Build an integration"].url == reverse("integration_create") + f"?application={application.slug}"


def test_a_providers_application_without_a_version_links_to_the_version_form(alice, provider, magento):
    links = do_it_links(client_for(alice).get(reverse("getting_started")).content.decode())
    assert links["Add the versions of each application"] == reverse("version_create", args=[magento.slug])
    assert links["Give each application a logo"] == reverse("application_edit", args=[magento.slug]) + "#id_logo"
    assert lands_on(client_for(alice), links["Give each application a logo"])


def test_a_new_integrator_is_asked_to_create_an_integration(alice):
    page = client_for(alice).get(reverse("getting_started")).content.decode()
    assert do_it_links(page) == {"Create an integration": reverse("integration_create")}


def test_an_integrators_steps_are_the_tier_engines_compatible_and_ready_rules(alice, northwind):
    application, versions = magento_with_versions()
    integration = IntegrationFactory(owner=northwind, application=application, kind=IntegrationKind.DYNAMIC)
    version = IntegrationVersionFactory(integration=integration, number="1.0.0")
    [path] = onboarding.integrator_paths(northwind)
    rules = [
        (rule.title, result.passed)
        for checklist in tiers.evaluate(version)
        if checklist.tier in (Tier.COMPATIBLE, Tier.READY)
        for rule, result in checklist.results
    ]
    shown = [(step.title, step.done) for step in path.steps]
    assert shown[0] == ("Create its first version", True)
    assert ("Publish version 1.0.0", False) in shown
    assert [pair for pair in shown if not pair[0].startswith(("Create its", "Publish version"))] == rules


def test_every_do_it_link_of_an_empty_integration_lands_on_the_field_that_fixes_it(alice, northwind):
    application, _ = magento_with_versions()
    integration = IntegrationFactory(owner=northwind, application=application, kind=IntegrationKind.DYNAMIC)
    IntegrationVersionFactory(integration=integration, number="1.0.0")
    client = client_for(alice)
    links = do_it_links(client.get(reverse("getting_started")).content.decode())
    assert links["Hook, queue or event services"].endswith("/edit/#event-services")
    assert links["Hosting models"].endswith("/edit/#hosting-models")
    assert links["Supported application versions"].endswith("#id_supported_versions")
    assert links["OpenAPI 2.0 document or SDK connector"].endswith("/openapi/#id_document")
    assert links["Data movement and webhook scopes described"].endswith("/edit/#id_data_movement")
    assert links["Connection established"].endswith("/inbox/#scopes-heading")  # no scope to send an event for yet
    unreachable = [title for title, url in links.items() if not lands_on(client, url)]
    assert unreachable == []


def test_an_sdk_integrations_connector_link_lands_on_its_package_field(alice, northwind):
    application, _ = magento_with_versions()
    integration = IntegrationFactory(owner=northwind, application=application, kind=IntegrationKind.SDK)
    IntegrationVersionFactory(integration=integration, number="1.0.0")
    links = do_it_links(client_for(alice).get(reverse("getting_started")).content.decode())
    assert links["OpenAPI 2.0 document or SDK connector"].endswith("/edit/#id_sdk_package")
    assert lands_on(client_for(alice), links["OpenAPI 2.0 document or SDK connector"])


def test_the_providers_own_integration_links_the_missing_application_version_to_its_form(alice, provider, magento):
    integration = IntegrationFactory(owner=provider, application=magento)
    version = IntegrationVersionFactory(integration=integration, number="1.0.0")
    results = {rule.code: result for checklist in tiers.evaluate(version) for rule, result in checklist.results}
    assert results["application_complete"].url == reverse("application_edit", args=[magento.slug]) + "#id_logo"
    assert lands_on(client_for(alice), results["application_complete"].url)


def test_another_integrator_is_sent_to_submit_a_missing_application_version(alice, northwind, other_provider):
    application, _ = magento_with_versions(other_provider, labels=())
    integration = IntegrationFactory(owner=northwind, application=application)
    version = IntegrationVersionFactory(integration=integration, number="1.0.0")
    results = {rule.code: result for checklist in tiers.evaluate(version) for rule, result in checklist.results}
    assert results["application_complete"].url == reverse("version_submit", args=[application.slug])


def test_an_integration_once_ready_leaves_the_path(alice, northwind):
    application, _ = magento_with_versions()
    IntegrationFactory(owner=northwind, application=application, tier=Tier.READY)
    assert onboarding.integrator_paths(northwind) == []
    page = client_for(alice).get(reverse("getting_started")).content.decode()
    assert "is Ready or beyond" in page


def test_the_page_walks_at_most_a_few_integrations_with_constant_queries(
    alice, northwind, django_assert_max_num_queries
):
    application, versions = magento_with_versions()
    for _ in range(onboarding.INTEGRATIONS_SHOWN + 2):
        integration = IntegrationFactory(owner=northwind, application=application)
        IntegrationVersionFactory(integration=integration, number="1.0.0", status=VersionStatus.PUBLISHED)
    client = client_for(alice)
    with django_assert_max_num_queries(80):
        page = client.get(reverse("getting_started")).content.decode()
    assert page.count('class="integration-path"') == onboarding.INTEGRATIONS_SHOWN
    assert f"All {onboarding.INTEGRATIONS_SHOWN + 2} integrations" in page


def test_a_member_who_does_not_manage_sees_the_providers_path_without_its_forms(ivy, provider):
    page = client_for(ivy).get(reverse("getting_started")).content.decode()
    assert "As an application provider" in page
    assert "Register an application" not in page


@pytest.mark.parametrize(
    ("kinds", "shown", "hidden"),
    [
        ({"is_customer": True, "is_integrator": False}, "For customers", "As an integrator"),
        ({"is_misp": True, "is_integrator": False}, "For MiSPs", "As an application provider"),
    ],
)
def test_customers_and_misps_are_shown_what_the_marketplace_does_for_them(db, kinds, shown, hidden):
    from tests.factories import OrganizationFactory, UserFactory

    user = UserFactory()
    MembershipFactory(user=user, organization=OrganizationFactory(**kinds), role=Role.OWNER)
    page = client_for(user).get(reverse("getting_started")).content.decode()
    assert shown in page and hidden not in page
    assert reverse("marketplace_index") in page


def test_an_application_version_is_added_with_the_next_label_offered(alice, provider, magento):
    ApplicationVersionFactory(application=magento, label="Open Source 2.4.x")
    page = client_for(alice).get(reverse("version_create", args=[magento.slug])).content.decode()
    assert 'value="Open Source 2.5.x"' in page


def test_an_integration_version_is_created_with_the_next_semantic_version_offered(alice, northwind):
    application, _ = magento_with_versions()
    integration = IntegrationFactory(owner=northwind, application=application)
    url = reverse("integration_version_create", args=[integration.slug])
    assert 'value="1.0.0"' in client_for(alice).get(url).content.decode()
    IntegrationVersionFactory(integration=integration, number="1.10.2")
    IntegrationVersionFactory(integration=integration, number="1.9.0")
    assert 'value="1.11.0"' in client_for(alice).get(url).content.decode()


def test_after_a_provider_adds_a_version_its_application_page_suggests_an_integration(alice, provider, magento):
    client = client_for(alice)
    answer = client.post(
        reverse("version_create", args=[magento.slug]),
        {"label": "Open Source 2.4.x", "release_date": "2024-01-10", "form_token": "t"},
        follow=True,
    )
    page = answer.content.decode()
    assert "Next: an integration for Magento" in page
    assert f'href="{reverse("integration_create")}?application={magento.slug}"' in page


def test_a_draft_application_is_not_offered_for_an_integration_but_to_be_published(alice, provider, magento):
    magento.is_published = False
    magento.save(update_fields=["is_published"])
    ApplicationVersionFactory(application=magento)
    page = client_for(alice).get(reverse("application_edit", args=[magento.slug])).content.decode()
    assert "Next: an integration" not in page
    assert '<a href="#id_is_published">Publish it</a>' in page


def test_each_roles_home_page_links_to_what_the_portal_does_for_it(alice, carol, misty, sam, provider):
    alice_home = client_for(alice).get("/").content.decode()
    assert reverse("provider_application_list") in alice_home and reverse("integration_create") in alice_home
    assert reverse("getting_started") in alice_home
    carol_home = client_for(carol).get("/").content.decode()
    assert reverse("subscription_list") in carol_home and reverse("marketplace_index") in carol_home
    assert reverse("integration_create") not in carol_home
    misty_home = client_for(misty).get("/").content.decode()
    assert "private partner brief" in misty_home and reverse("subscription_list") not in misty_home
    sam_home = client_for(sam).get("/").content.decode()
    assert "Version submissions</a>: 0 waiting" in sam_home
