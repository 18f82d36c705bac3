"""The registry's public pages and the integrations dashboard show long lists a page at a time,
with links to the other pages that keep every other list where it was."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations.models import Integration, Tier
from integrations.registry.selectors import DIRECTORY_APPLICATIONS
from integrations.registry.views.public import APPLICATIONS_PER_PAGE, INTEGRATIONS_PER_PAGE, VERSIONS_PER_PAGE
from integrations.workspace.selectors import DASHBOARD_PER_PAGE
from tests.conftest import client_for
from tests.factories import ApplicationFactory, ApplicationVersionFactory, IntegrationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _versions(application, count: int) -> None:
    start = datetime.date(2020, 1, 1)
    for n in range(count):
        ApplicationVersionFactory(
            application=application, label=f"v{n:03}", release_date=start + datetime.timedelta(days=n)
        )


def test_a_provider_page_shows_its_applications_a_page_at_a_time():
    provider = OrganizationFactory(is_provider=True, name="Big Provider", slug="big-provider")
    for n in range(APPLICATIONS_PER_PAGE + 1):
        ApplicationFactory(provider=provider, name=f"App {n:03}", slug=f"app-{n:03}")
    url = reverse("provider_detail", args=[provider.slug])
    first = client_for(None).get(url).content.decode()
    assert "App 000" in first and f"App {APPLICATIONS_PER_PAGE - 1:03}" in first
    assert f"App {APPLICATIONS_PER_PAGE:03}" not in first
    assert 'href="?page=2" rel="next"' in first and f"Applications ({APPLICATIONS_PER_PAGE + 1})" in first
    second = client_for(None).get(url, {"page": 2}).content.decode()
    assert f"App {APPLICATIONS_PER_PAGE:03}" in second and "App 000" not in second


def test_an_application_page_pages_its_versions_and_integrations_separately():
    application = ApplicationFactory(name="Crowded", slug="crowded")
    _versions(application, VERSIONS_PER_PAGE + 1)
    for n in range(INTEGRATIONS_PER_PAGE + 1):
        IntegrationFactory(application=application, name=f"Connector {n:03}", tier=Tier.COMPATIBLE)
    url = reverse("application_detail", args=[application.slug])
    first = client_for(None).get(url)
    versions, integrations = first.context["versions"], first.context["integrations"]
    assert len(versions) == VERSIONS_PER_PAGE and len(integrations) == INTEGRATIONS_PER_PAGE
    assert [v.is_latest for v in versions][:2] == [True, False]
    page = first.content.decode()
    assert 'href="?versions_page=2"' in page and 'href="?integrations_page=2"' in page
    later = client_for(None).get(url, {"versions_page": 2, "integrations_page": 2})
    assert [v.label for v in later.context["versions"]] == ["v000"]  # the oldest, never flagged latest
    assert not later.context["versions"][0].is_latest
    assert [i.name for i in later.context["integrations"]] == [f"Connector {INTEGRATIONS_PER_PAGE:03}"]
    # Each list's links keep the other list's page.
    assert "versions_page=1&amp;integrations_page=2" in later.content.decode()


def test_the_directory_shows_a_providers_first_applications_and_links_to_all_of_them():
    provider = OrganizationFactory(is_provider=True, name="Many Apps", slug="many-apps")
    for n in range(DIRECTORY_APPLICATIONS + 2):
        ApplicationFactory(provider=provider, name=f"App {n:03}", slug=f"many-{n:03}")
    ApplicationFactory(provider=provider, name="Unpublished", slug="many-draft", is_published=False)
    page = client_for(None).get(reverse("provider_directory")).content.decode()
    assert f"App {DIRECTORY_APPLICATIONS - 1:03}" in page and f"App {DIRECTORY_APPLICATIONS:03}" not in page
    assert f"All {DIRECTORY_APPLICATIONS + 2} applications by Many Apps" in page


def test_the_dashboard_shows_the_integrations_a_page_at_a_time(alice, northwind):
    for n in range(DASHBOARD_PER_PAGE + 1):
        IntegrationFactory(owner=northwind, name=f"Connector {n:03}")
    client = client_for(alice)
    first = client.get(reverse("integration_dashboard"))
    assert [row.integration.name for row in first.context["rows"]][-1] == f"Connector {DASHBOARD_PER_PAGE - 1:03}"
    assert len(first.context["rows"]) == DASHBOARD_PER_PAGE
    assert 'href="?page=2" rel="next"' in first.content.decode()
    second = client.get(reverse("integration_dashboard"), {"page": 2})
    assert [row.integration.name for row in second.context["rows"]] == [f"Connector {DASHBOARD_PER_PAGE:03}"]
    assert Integration.objects.filter(owner=northwind).count() == DASHBOARD_PER_PAGE + 1


def test_the_dashboard_costs_the_same_queries_for_a_page_or_many(
    alice, northwind, django_assert_max_num_queries, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # both visits work the version alerts out, none reads them kept
    IntegrationFactory(owner=northwind, name="Connector one")
    client = client_for(alice)
    client.get(reverse("integration_dashboard"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("integration_dashboard"))
    for n in range(DASHBOARD_PER_PAGE * 2):
        IntegrationFactory(owner=northwind, name=f"Connector {n:03}")
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("integration_dashboard"))
