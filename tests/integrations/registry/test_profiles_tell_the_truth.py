"""Profiles that tell the truth: an integrator's public profile counts and lists its public
integrations, owned and associated, with their tiers; a provider sees the integrations other
organizations build on its applications and the versions submitted for them, and only its own."""

import re

from django.urls import reverse

from integrations.models import Association, AssociationStatus, SubmissionStatus, Tier
from integrations.registry import selectors
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


def test_an_integrators_profile_lists_a_capped_number_with_the_rest_counted(
    db, northwind, django_assert_max_num_queries
):
    for number in range(selectors.PROFILE_LIST_LIMIT + 3):
        IntegrationFactory(owner=northwind, name=f"Integration {number:02}", tier=Tier.COMPATIBLE)
    with django_assert_max_num_queries(12):
        page = client_for(None).get(reverse("integrator_profile", args=[northwind.slug])).content.decode()
    assert stats(page)["Integrations"] == str(selectors.PROFILE_LIST_LIMIT + 3)
    assert page.count('<span class="application-name">') == selectors.PROFILE_LIST_LIMIT
    assert "And 3 more." in page


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


def test_the_providers_lists_are_capped_with_constant_queries(alice, provider, django_assert_max_num_queries):
    magento = ApplicationFactory(provider=provider, name="Magento")
    builder = OrganizationFactory()
    for number in range(selectors.PROFILE_LIST_LIMIT + 2):
        IntegrationFactory(application=magento, owner=builder, tier=Tier.COMPATIBLE)
        VersionSubmissionFactory(application=magento, label=f"v{number}.0")
    client = client_for(alice)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("provider_application_list")).content.decode()
    assert page.count("And 2 more.") == 1
    assert "The newest 20 are listed." in page
