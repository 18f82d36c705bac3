"""The workspace page's lists are bounded: its versions a page at a time, each naming its first
supported application versions with a link to the version's page, where they all are a page at a
time; its associated integrators a page at a time. Query counts do not grow with the rows."""

import datetime

import pytest
from django.urls import reverse

from integrations.models import Association, AssociationStatus
from integrations.workspace import views
from tests.conftest import client_for
from tests.factories import ApplicationVersionFactory, IntegrationVersionFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "VERSIONS_PER_PAGE", 3)
    monkeypatch.setattr(views, "SUPPORTED_SHOWN", 2)
    monkeypatch.setattr(views, "SUPPORTED_PER_PAGE", 4)
    monkeypatch.setattr(views, "INTEGRATORS_PER_PAGE", 2)


def add_versions(integration, count, start=0, supports=()):
    made = []
    for n in range(start, start + count):
        version = IntegrationVersionFactory(integration=integration, number=f"1.{n}.0")
        version.supported_versions.set(supports)
        made.append(version)
    return made


def application_versions(integration, count, start=0):
    return [
        ApplicationVersionFactory(
            application=integration.application,
            label=f"Release {n:02}",
            release_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(start, start + count)
    ]


def associate(integration, count, start=0):
    for n in range(start, start + count):
        organization = OrganizationFactory(name=f"Integrator {n:02}")
        Association.objects.create(
            integration=integration, organization=organization, status=AssociationStatus.ACCEPTED
        )


def test_the_workspace_lists_its_versions_a_page_at_a_time(alice, integration, small_pages):
    add_versions(integration, 7)
    client = client_for(alice)
    first = client.get(integration.get_absolute_url()).content.decode()
    assert "Versions (7)" in first and "Page 1 of 3" in first
    assert ">1.6.0</a>" in first and ">1.4.0</a>" in first and ">1.3.0</a>" not in first  # newest first
    last = client.get(integration.get_absolute_url(), {"versions_page": 3}).content.decode()
    assert ">1.0.0</a>" in last and ">1.1.0</a>" not in last
    # The tier progress is still the newest version's, whatever page of versions is shown.
    assert "Version 1.6.0 is still a draft" in last


def test_the_certification_and_template_panels_speak_of_the_versions_page_shown(alice, integration, small_pages):
    add_versions(integration, 7)
    client = client_for(alice)
    first = client.get(integration.get_absolute_url()).content.decode()
    certification = first.split('id="certification-heading"')[1].split("</section>")[0]
    assert "Version 1.6.0</strong>" in certification and "Version 1.4.0</strong>" in certification
    assert "Version 1.3.0</strong>" not in certification
    last = client.get(integration.get_absolute_url(), {"versions_page": 3}).content.decode()
    certification = last.split('id="certification-heading"')[1].split("</section>")[0]
    assert certification.count("<strong>Version ") == 1 and "Version 1.0.0</strong>" in certification


def test_each_version_names_its_first_supported_versions_and_links_to_them_all(alice, integration, small_pages):
    supported = application_versions(integration, 5)
    (version,) = add_versions(integration, 1, supports=supported)
    page = client_for(alice).get(integration.get_absolute_url()).content.decode()
    detail_url = reverse("integration_version_detail", args=[integration.slug, version.public_id])
    assert "Release 04, Release 03" in page and "Release 02" not in page  # the latest first
    assert f'<a href="{detail_url}">All 5 supported versions' in page


def test_a_version_supporting_few_versions_names_them_all_without_a_link(alice, integration, small_pages):
    supported = application_versions(integration, 2)
    add_versions(integration, 1, supports=supported)
    page = client_for(alice).get(integration.get_absolute_url()).content.decode()
    assert "Release 01, Release 00" in page and "supported versions" not in page


def test_the_workspace_costs_the_same_queries_whatever_the_number_of_versions_and_integrators(
    alice, integration, small_pages, django_assert_max_num_queries
):
    supported = application_versions(integration, 3)
    add_versions(integration, 2, supports=supported)
    associate(integration, 1)
    client = client_for(alice)
    client.get(integration.get_absolute_url())
    with django_assert_max_num_queries(60) as few:
        client.get(integration.get_absolute_url(), {"versions_page": 2, "integrators_page": 2})
    supported += application_versions(integration, 10, start=3)
    add_versions(integration, 10, start=2, supports=supported)
    associate(integration, 6, start=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(integration.get_absolute_url(), {"versions_page": 2, "integrators_page": 2}).content.decode()
    assert "Versions (12)" in page and "All 13 supported versions" in page


def test_the_workspace_lists_its_integrators_a_page_at_a_time(alice, integration, small_pages):
    associate(integration, 5)
    client = client_for(alice)
    first = client.get(integration.get_absolute_url()).content.decode()
    assert "Integrator 00" in first and "Integrator 01" in first and "Integrator 02" not in first
    assert "integrators_page=2" in first
    last = client.get(integration.get_absolute_url(), {"integrators_page": 3}).content.decode()
    assert "Integrator 04" in last and "Integrator 03" not in last


def test_the_version_page_lists_every_supported_version_a_page_at_a_time(
    alice, integration, small_pages, django_assert_max_num_queries
):
    supported = application_versions(integration, 3)
    (version,) = add_versions(integration, 1, supports=supported)
    url = reverse("integration_version_detail", args=[integration.slug, version.public_id])
    client = client_for(alice)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    version.supported_versions.set(supported + application_versions(integration, 7, start=3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(url).content.decode()
    last = client.get(url, {"page": 3}).content.decode()
    assert "Application versions it supports (10)" in first and "Page 1 of 3" in first
    assert "Release 09" in first and "Release 06" in first and "Release 05" not in first
    assert "Release 01" in last and "Release 00" in last and "Release 02" not in last


@pytest.mark.parametrize("bad", ["x", "-1", "0", "999", "1e9"])
def test_a_page_number_that_is_not_one_answers_a_page(alice, integration, small_pages, bad):
    supported = application_versions(integration, 5)
    (version,) = add_versions(integration, 1, supports=supported)
    client = client_for(alice)
    url = reverse("integration_version_detail", args=[integration.slug, version.public_id])
    assert client.get(url, {"page": bad}).status_code == 200
    response = client.get(integration.get_absolute_url(), {"versions_page": bad, "integrators_page": bad})
    assert response.status_code == 200


def test_another_organizations_version_page_is_not_found(bob, integration):
    (version,) = add_versions(integration, 1)
    url = reverse("integration_version_detail", args=[integration.slug, version.public_id])
    assert client_for(bob).get(url).status_code == 404
