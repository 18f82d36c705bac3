"""Profiles that tell the truth: an integrator's public profile counts and lists its public
integrations, owned and associated, with their tiers; a provider sees the integrations other
organizations build on its applications and the versions submitted for them, and only its own."""

import re

import pytest
from django.urls import reverse

from integrations.models import Association, AssociationStatus, SubmissionStatus, Tier
from integrations.registry.views import applications as application_views
from integrations.registry.views import public as public_views
from tests.conftest import client_for
from tests.factories import ApplicationFactory, IntegrationFactory, OrganizationFactory, VersionSubmissionFactory


def stats(page: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page))


def test_an_integrators_profile_counts_and_lists_its_public_integrations_owned_and_associated(db, northwind):
    IntegrationFactory(owner=northwind, name="Magento by Northwind", tier=Tier.CERTIFIED)
    IntegrationFactory(owner=northwind, name="Shopify by Northwind", tier=Tier.COMPATIBLE)
    IntegrationFactory(owner=northwind, name="Draft by Northwind", tier=Tier.NONE)
    theirs = IntegrationFactory(name="Stripe by Bluebird", tier=Tier.READY)
    Association.objects.create(integration=theirs, organization=northwind, status=AssociationStatus.ACCEPTED)
    asked = IntegrationFactory(name="Asked by Northwind", tier=Tier.READY)
    Association.objects.create(integration=asked, organization=northwind, status=AssociationStatus.PENDING)

    page = client_for(None).get(reverse("integrator_profile", args=[northwind.slug])).content.decode()
    assert stats(page) == {"Integrations": "3", "Certified integrations": "1"}
    listed = re.findall(r'<span class="application-name">([^<]+)</span>', page)
    assert listed == ["Magento by Northwind", "Stripe by Bluebird", "Shopify by Northwind"]
    assert f"associated, owned by {theirs.owner.name}" in page
    assert "Draft by Northwind" not in page and "Asked by Northwind" not in page


@pytest.fixture
def sixty_public_integrations(db, northwind, monkeypatch):
    monkeypatch.setattr(public_views, "INTEGRATIONS_PER_PAGE", 25)
    for number in range(60):
        IntegrationFactory(owner=northwind, name=f"Integration {number:02}", tier=Tier.COMPATIBLE)


def test_an_integrators_profile_lists_every_public_integration_a_page_at_a_time(
    sixty_public_integrations, northwind, django_assert_max_num_queries
):
    url = reverse("integrator_profile", args=[northwind.slug])
    with django_assert_max_num_queries(12) as first:
        page = client_for(None).get(url).content.decode()
    assert stats(page)["Integrations"] == "60"
    assert re.findall(r'<span class="application-name">([^<]+)</span>', page)[-1] == "Integration 24"
    assert 'aria-label="Integrations"' in page and '<span aria-current="page">Page 1 of 3</span>' in page

    with django_assert_max_num_queries(len(first.captured_queries)):
        last = client_for(None).get(url, {"integrations_page": 3}).content.decode()
    listed = re.findall(r'<span class="application-name">([^<]+)</span>', last)
    assert listed == [f"Integration {number}" for number in range(50, 60)]


@pytest.mark.parametrize(("value", "shown"), [("abc", 1), ("0", 3), ("9999999", 3)])
def test_a_bad_profile_page_answers_the_first_or_last_page(sixty_public_integrations, northwind, value, shown):
    response = client_for(None).get(reverse("integrator_profile", args=[northwind.slug]), {"integrations_page": value})

    assert response.status_code == 200
    assert f'<span aria-current="page">Page {shown} of 3</span>' in response.content.decode()


def test_a_provider_sees_the_integrations_others_build_on_its_applications(alice, provider, bob):
    magento = ApplicationFactory(provider=provider, name="Magento")
    IntegrationFactory(
        application=magento, owner=bob.memberships.get().organization, name="Magento by Bluebird", tier=Tier.READY
    )
    IntegrationFactory(application=magento, owner=provider, name="Magento by Northwind", tier=Tier.CERTIFIED)
    IntegrationFactory(application=magento, name="Hidden draft", tier=Tier.NONE)
    IntegrationFactory(name="Someone else's application", tier=Tier.CERTIFIED)

    page = client_for(alice).get(reverse("provider_application_list")).content.decode()
    others = page[page.index('id="others-heading"') : page.index('id="submitted-heading"')]
    assert re.findall(r'<span class="application-name">([^<]+)</span>', others) == ["Magento by Bluebird"]
    assert "1 public integration by other organizations" in others


def test_a_provider_sees_the_versions_submitted_for_its_own_applications_only(alice, provider, other_provider):
    magento = ApplicationFactory(provider=provider, name="Magento")
    VersionSubmissionFactory(application=magento, label="Open Source 2.6.x")
    VersionSubmissionFactory(application=magento, label="Open Source 2.1.x", status=SubmissionStatus.REJECTED)
    VersionSubmissionFactory(application=ApplicationFactory(provider=other_provider), label="Not theirs 9")

    page = client_for(alice).get(reverse("provider_application_list")).content.decode()
    submitted = page[page.index('id="submitted-heading"') :]
    assert "Open Source 2.6.x" in submitted and "Open Source 2.1.x" in submitted
    assert "Rejected" in submitted
    assert "Not theirs 9" not in page
    assert "told us of 2 versions" in submitted


def test_the_providers_three_lists_each_have_their_own_pages_at_constant_queries(
    alice, provider, monkeypatch, django_assert_max_num_queries
):
    for name in ("APPLICATIONS_PER_PAGE", "BUILT_BY_OTHERS_PER_PAGE", "SUBMISSIONS_PER_PAGE"):
        monkeypatch.setattr(application_views, name, 25)
    magento = ApplicationFactory(provider=provider, name="Magento")
    builder = OrganizationFactory()
    for number in range(60):
        ApplicationFactory(provider=provider, name=f"Application {number:02}")
        IntegrationFactory(application=magento, owner=builder, name=f"Built {number:02}", tier=Tier.COMPATIBLE)
        VersionSubmissionFactory(application=magento, label=f"v{number}.0")
    client = client_for(alice)
    url = reverse("provider_application_list")
    with django_assert_max_num_queries(25) as first:
        page = client.get(url).content.decode()
    assert "61 applications; 1 to 25 are listed." in page
    assert "60 public integrations by other organizations; 1 to 25 are listed." in page
    assert "Newest first, 1 to 25 are listed." in page
    for label in ("Applications", "Integrations by others", "Submitted versions"):
        assert f'aria-label="{label}"' in page

    with django_assert_max_num_queries(len(first.captured_queries)):
        later = client.get(url, {"applications_page": 3, "others_page": "abc", "submissions_page": 9999999})
    later = later.content.decode()
    assert "61 applications; 51 to 61 are listed." in later
    assert "60 public integrations by other organizations; 1 to 25 are listed." in later
    assert "Newest first, 51 to 60 are listed." in later
    # Moving one list keeps the others where they are.
    assert "applications_page=3&amp;others_page=2&amp;submissions_page=9999999" in later
