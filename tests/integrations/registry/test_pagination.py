"""The registry's public pages, the provider's own pages, the submission pages and the
integrations dashboard show long lists a page at a time (or the first ones with a link to all),
with links to the other pages that keep every other list where it was."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations.models import Integration, Tier
from integrations.registry.selectors import DIRECTORY_APPLICATIONS
from integrations.registry.views import applications, submissions
from integrations.registry.views.public import APPLICATIONS_PER_PAGE, INTEGRATIONS_PER_PAGE, VERSIONS_PER_PAGE
from integrations.workspace.selectors import DASHBOARD_PER_PAGE
from tests.conftest import client_for
from tests.factories import (
    ApplicationFactory,
    ApplicationVersionFactory,
    IntegrationFactory,
    OrganizationFactory,
    VersionSubmissionFactory,
)

pytestmark = pytest.mark.django_db


def _versions(application, count: int) -> None:
    _versions_from(application, 0, count)


def _versions_from(application, first: int, count: int) -> None:
    start = datetime.date(2020, 1, 1)
    for n in range(first, first + count):
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


# --- The provider's own pages and the submission pages ------------------------------------------


def test_an_applications_settings_page_pages_its_versions_at_constant_queries(
    magento, alice, django_assert_max_num_queries
):
    _versions(magento, 2)
    client = client_for(alice)
    url = reverse("application_edit", args=[magento.slug])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _versions_from(magento, 2, applications.VERSIONS_PER_PAGE * 2)

    with django_assert_max_num_queries(len(few)):
        first = client.get(url)
    last = client.get(url, {"versions_page": 3})

    newest = applications.VERSIONS_PER_PAGE * 2 + 1
    labels = [version.label for version in first.context["versions"]]
    assert labels[0] == f"v{newest:03}" and len(labels) == applications.VERSIONS_PER_PAGE
    assert [version.is_latest for version in first.context["versions"]][:2] == [True, False]
    assert [version.label for version in last.context["versions"]] == ["v001", "v000"]
    page = first.content.decode()
    assert f"Versions ({newest + 1})" in page and 'href="?versions_page=2"' in page
    assert f"is published with {newest + 1} versions" in page


def test_an_applications_settings_page_pages_the_submissions_waiting(magento, alice, bob):
    for n in range(applications.SUBMISSIONS_PER_PAGE + 1):
        VersionSubmissionFactory(application=magento, label=f"s{n:03}", submitted_by=bob)
    url = reverse("application_edit", args=[magento.slug])

    first = client_for(alice).get(url)
    second = client_for(alice).get(url, {"submissions_page": 2})

    assert len(first.context["pending_submissions"]) == applications.SUBMISSIONS_PER_PAGE
    assert [s.label for s in second.context["pending_submissions"]] == [f"s{applications.SUBMISSIONS_PER_PAGE:03}"]
    page = first.content.decode()
    assert f"Versions others submitted ({applications.SUBMISSIONS_PER_PAGE + 1})" in page
    assert 'aria-label="Versions others submitted"' in page and 'href="?submissions_page=2"' in page


def test_the_submit_form_shows_the_newest_versions_and_links_to_all_of_them(magento, bob):
    count = submissions.LISTED_VERSIONS_SHOWN + 3
    _versions(magento, count)

    response = client_for(bob).get(reverse("version_submit", args=[magento.slug]))

    assert [v.label for v in response.context["versions"]][0] == f"v{count - 1:03}"
    assert len(response.context["versions"]) == submissions.LISTED_VERSIONS_SHOWN
    page = response.content.decode()
    assert "v002" not in page and f"All {count} versions of Magento" in page
    assert f'href="{magento.get_absolute_url()}"' in page


def test_the_submit_form_has_no_link_to_all_versions_when_it_shows_them_all(magento, bob):
    _versions(magento, submissions.LISTED_VERSIONS_SHOWN)

    page = client_for(bob).get(reverse("version_submit", args=[magento.slug])).content.decode()

    assert "v000" in page and "All 10 versions" not in page


def test_ones_version_submissions_are_listed_a_page_at_a_time_at_constant_queries(
    magento, bob, django_assert_max_num_queries
):
    VersionSubmissionFactory(application=magento, label="s000", submitted_by=bob)
    client = client_for(bob)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("submission_list"))
    for n in range(1, submissions.SUBMISSIONS_PER_PAGE + 1):
        VersionSubmissionFactory(application=magento, label=f"s{n:03}", submitted_by=bob)

    with django_assert_max_num_queries(len(few) + 1):  # and the count, now that there are pages
        first = client.get(reverse("submission_list"))
    second = client.get(reverse("submission_list"), {"page": 2, "versions_page": "x"})

    assert len(first.context["submissions"]) == submissions.SUBMISSIONS_PER_PAGE
    assert [s.label for s in second.context["submissions"]] == ["s000"]  # the oldest
    assert 'aria-label="Your version submissions"' in first.content.decode()
