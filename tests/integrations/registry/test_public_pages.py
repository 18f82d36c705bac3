"""The public registry pages: directory with search and paging, provider, application, profiles.
Bad query strings never fail, and list pages cost the same number of queries whatever the data."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import ApplicationFactory, ApplicationVersionFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def providers(count: int, start: int = 0, applications: int = 2) -> list:
    made = []
    for n in range(start, start + count):
        provider = OrganizationFactory(name=f"Provider {n:03}", slug=f"provider-{n:03}", is_provider=True)
        for a in range(applications):
            application = ApplicationFactory(provider=provider, name=f"App {n:03}-{a}", slug=f"app-{n:03}-{a}")
            ApplicationVersionFactory(application=application, release_date=datetime.date(2020, 1, 1))
            ApplicationVersionFactory(application=application, release_date=datetime.date(2024, 1, 1))
        made.append(provider)
    return made


def names_on(response) -> list[str]:
    return re.findall(r'<h2 id="provider-[^"]+"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_the_directory_lists_providers_with_published_applications_by_name(magento, magento_versions, draft):
    OrganizationFactory(name="Empty Provider", is_provider=True)
    only_drafts = OrganizationFactory(name="Drafty", is_provider=True)
    ApplicationFactory(provider=only_drafts, is_published=False)
    response = client_for(None).get(reverse("provider_directory"))
    assert names_on(response) == ["Northwind Integrations"]
    page = response.content.decode()
    assert "Latest version: <strong>Open Source 2.5.x</strong>" in page
    assert "Secret Suite" not in page


def test_the_directory_searches_provider_and_application_names(magento):
    providers(3)
    client = client_for(None)
    assert names_on(client.get(reverse("provider_directory"), {"q": "provider 001"})) == ["Provider 001"]
    assert names_on(client.get(reverse("provider_directory"), {"q": "  MAGENTO "})) == ["Northwind Integrations"]
    assert names_on(client.get(reverse("provider_directory"), {"q": "app 002-1"})) == ["Provider 002"]
    nothing = client.get(reverse("provider_directory"), {"q": "zzz"})
    assert names_on(nothing) == [] and "No provider or application matches “zzz”" in nothing.content.decode()


def test_the_directory_pages_by_twenty(db):
    providers(45, applications=1)
    client = client_for(None)
    first = client.get(reverse("provider_directory"))
    assert len(names_on(first)) == 20 and "Page 1 of 3" in first.content.decode()
    third = client.get(reverse("provider_directory"), {"page": "3"})
    assert names_on(third) == [f"Provider {n:03}" for n in range(40, 45)]


def test_paging_keeps_the_search(db):
    providers(25, applications=1)
    page = client_for(None).get(reverse("provider_directory"), {"q": "provider"}).content.decode()
    assert 'href="?q=provider&amp;page=2"' in page


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "99999999999999999999999999"},
        {"page": "1e9999"},
        {"page": ""},
        {"page": ["1", "2"]},
        {"q": "a" * 5000},
        {"q": "nul\x00byte"},
        {"q": "%", "page": "2"},
        {"q": "'; drop table portal_organization; --"},
        {"q": ["one", "two"]},
    ],
    ids=lambda params: repr(params)[:40],
)
def test_bad_query_strings_never_fail(params, magento):
    providers(25, applications=1)
    response = client_for(None).get(reverse("provider_directory"), params)
    assert response.status_code == 200


@pytest.mark.parametrize("raw", ["q=%ff%fe", "q=%ED%A0%80", "page=%00", "q=%00&page=%ff", "q&page", "&&=&="])
def test_undecodable_query_strings_never_fail(raw, magento):
    assert client_for(None).get(f"{reverse('provider_directory')}?{raw}").status_code == 200


def test_a_search_that_is_too_long_says_so(db):
    page = client_for(None).get(reverse("provider_directory"), {"q": "a" * 500}).content.decode()
    assert "Ensure this value has at most 100 characters" in page


def test_the_application_page_lists_versions_newest_first_and_marks_only_the_latest(magento, magento_versions):
    page = client_for(None).get(reverse("application_detail", args=[magento.slug])).content.decode()
    rows = re.findall(r'<tr( class="is-latest")?>\s*<th scope="row">([^<]+)', page)
    assert [(label.strip(), bool(latest)) for latest, label in rows] == [
        ("Open Source 2.5.x", True),
        ("Open Source 2.4.x", False),
        ("Open Source 2.3.x", False),
    ]
    assert page.count('class="badge badge-latest"') == 1


def test_the_provider_page_marks_each_applications_latest_version(magento, magento_versions, provider):
    page = client_for(None).get(reverse("provider_detail", args=[provider.slug])).content.decode()
    assert "Latest version: <strong>Open Source 2.5.x</strong>" in page


def test_signed_out_visitors_are_invited_to_sign_in_to_submit_a_version(magento):
    page = client_for(None).get(reverse("application_detail", args=[magento.slug])).content.decode()
    assert "/accounts/login/?next=/applications/magento/versions/submit/" in page


def test_profile_pages_show_the_profile(northwind, summit):
    northwind.description = "We connect commerce to ERP."
    northwind.services_offered = "Implementation\nSupport"
    northwind.contact_email = "hello@northwind.example.com"
    northwind.save()
    page = client_for(None).get(reverse("integrator_profile", args=[northwind.slug])).content.decode()
    assert "We connect commerce to ERP." in page
    assert "<li>Implementation</li>" in page and "<li>Support</li>" in page
    assert 'href="mailto:hello@northwind.example.com"' in page
    misp_page = client_for(None).get(reverse("misp_profile", args=[summit.slug])).content.decode()
    assert "Summit Managed Services" in misp_page


def test_the_integrator_widget_shows_the_counts_and_the_profile_link_it_is_given(northwind):
    from django.template.loader import render_to_string

    northwind.description = "Certified commerce integrations."
    profile_url = reverse("integrator_profile", args=[northwind.slug])
    html = render_to_string(
        "portal/_integrator_widget.html",
        {"organization": northwind, "integration_count": 7, "certified_count": 3, "profile_url": profile_url},
    )
    assert "Northwind Integrations" in html and "Certified commerce integrations." in html
    assert re.search(r"<dt>Integrations</dt><dd>7</dd>", html)
    assert re.search(r"<dt>Certified integrations</dt><dd>3</dd>", html)
    assert f'href="{profile_url}"' in html
    assert 'aria-hidden="true">NI</span>' in html, "initials stand in for a missing logo"


# --- Query counts -------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_the_directory_costs_the_same_queries_for_2_or_20_providers(signed_in, django_assert_max_num_queries, bob):
    client = client_for(bob if signed_in else None)
    url = reverse("provider_directory")
    providers(2)
    few = queries_for(client, url)
    providers(18, start=2, applications=3)
    assert queries_for(client, url) == few
    with django_assert_max_num_queries(3 if not signed_in else 6):
        client.get(url)


def test_the_provider_page_costs_the_same_queries_for_1_or_10_applications(provider, django_assert_max_num_queries):
    client = client_for(None)
    url = reverse("provider_detail", args=[provider.slug])
    ApplicationVersionFactory(application=ApplicationFactory(provider=provider))
    few = queries_for(client, url)
    for _ in range(9):
        application = ApplicationFactory(provider=provider)
        ApplicationVersionFactory.create_batch(3, application=application)
    assert queries_for(client, url) == few
    with django_assert_max_num_queries(3):  # the provider, its applications and their count (pages)
        client.get(url)


def test_the_application_page_costs_the_same_queries_for_1_or_30_versions(magento, django_assert_max_num_queries):
    client = client_for(None)
    url = reverse("application_detail", args=[magento.slug])
    ApplicationVersionFactory(application=magento)
    few = queries_for(client, url)
    ApplicationVersionFactory.create_batch(29, application=magento)
    assert queries_for(client, url) == few
    # The application, its versions and its integrations, each list with its count (pages).
    with django_assert_max_num_queries(5):
        client.get(url)


def test_your_applications_costs_the_same_queries_for_1_or_10_applications(
    provider, alice, django_assert_max_num_queries
):
    client = client_for(alice)
    url = reverse("provider_application_list")
    ApplicationFactory(provider=provider)
    few = queries_for(client, url)
    for _ in range(9):
        ApplicationVersionFactory.create_batch(2, application=ApplicationFactory(provider=provider))
    assert queries_for(client, url) == few
    # The applications, then two capped lists (others' integrations, submitted versions) and their counts.
    with django_assert_max_num_queries(9):
        client.get(url)


def test_your_submissions_cost_the_same_queries_for_1_or_10(magento, bob, django_assert_max_num_queries):
    from tests.factories import VersionSubmissionFactory

    client = client_for(bob)
    url = reverse("submission_list")
    VersionSubmissionFactory(application=magento, submitted_by=bob)
    few = queries_for(client, url)
    for n in range(9):
        VersionSubmissionFactory(application=ApplicationFactory(), submitted_by=bob, label=f"x{n}")
    assert queries_for(client, url) == few
    with django_assert_max_num_queries(5):
        client.get(url)


def test_the_application_edit_page_costs_the_same_queries_for_1_or_20_versions(
    magento, alice, django_assert_max_num_queries
):
    client = client_for(alice)
    url = reverse("application_edit", args=[magento.slug])
    ApplicationVersionFactory(application=magento)
    few = queries_for(client, url)
    ApplicationVersionFactory.create_batch(19, application=magento)
    assert queries_for(client, url) == few
    with django_assert_max_num_queries(7):  # with the counts of the versions and submissions, for their pages
        client.get(url)
