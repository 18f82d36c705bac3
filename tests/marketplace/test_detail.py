"""An integration's marketplace page, by tier, with its compatibility matrix and the partner brief."""

import datetime

import pytest
from django.urls import reverse

from integrations.models import Association, AssociationStatus, Tier
from marketplace.listings.models import Visibility
from marketplace.listings.services import set_score_and_visibility
from portal.models import Role
from tests.conftest import client_for
from tests.factories import ApplicationVersionFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.marketplace.conftest import BRIEF, listed, publish


def page(integration, user=None):
    return client_for(user).get(reverse("listing_detail", args=[integration.slug]))


def test_a_certified_page_shows_description_features_workflows_integrator_and_price(certified):
    response = page(certified)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Keeps Magento orders and customers in step" in content
    assert "<li>Order sync</li>" in content
    assert "New orders flow to iPaaS.com within a minute." in content
    assert 'class="integrator-widget"' in content and "Northwind Integrations" in content
    assert "$100 up front + $49 a month" in content


def test_the_integrator_widget_counts_the_owners_own_and_accepted_associated_integrations(
    certified, magento, northwind, bluebird
):
    listed(magento, owner=northwind, name="Second Northwind", tier=Tier.READY)
    theirs = listed(magento, owner=bluebird, name="Bluebird Certified", tier=Tier.CERTIFIED)
    proposed = listed(magento, owner=bluebird, name="Bluebird Proposed", tier=Tier.CERTIFIED)
    Association.objects.create(integration=theirs, organization=northwind, status=AssociationStatus.ACCEPTED)
    Association.objects.create(integration=proposed, organization=northwind, status=AssociationStatus.PENDING)
    listed(magento, owner=bluebird, name="Bluebird Other", tier=Tier.CERTIFIED)
    builders = page(certified).content.decode().split('id="builders-heading"')[1].split("</section>")[0]
    assert "<dt>Integrations</dt><dd>3</dd>" in builders
    assert "<dt>Certified integrations</dt><dd>2</dd>" in builders


def test_a_certified_page_asks_an_anonymous_visitor_to_sign_in_to_subscribe(certified):
    price_section = page(certified).content.decode().split('id="price-heading"')[1].split("</section>")[0]
    assert "as the owner or an admin of a customer organization to subscribe" in price_section
    assert ">Subscribe</a>" not in price_section


def test_a_compatible_page_is_limited_and_says_what_it_still_needs(magento):
    integration = listed(magento, name="Early Magento", description="Secret roadmap text", price_per_month=30)
    publish(integration, "0.1.0")
    content = page(integration).content.decode()
    assert "Not yet Certified" in content
    assert "What it still needs to be Ready" in content
    assert "Connection established" in content
    assert "Secret roadmap text" not in content
    assert "$30" not in content
    assert 'class="integrator-widget"' not in content


def test_an_integration_below_compatible_has_no_page(magento):
    assert page(listed(magento, tier=Tier.NONE)).status_code == 404


def test_a_delisted_integrations_page_only_says_it_is_no_longer_offered(magento):
    delisted = listed(magento)
    set_score_and_visibility(delisted, score=10, visibility=Visibility.DELISTED, cause="test")
    response = page(delisted)
    assert response.status_code == 410
    html = response.content.decode()
    assert "no longer offered" in html and "keep their subscriptions" in html
    assert '<meta name="robots" content="noindex">' in html and "Subscribe" not in html


def test_a_hidden_integrations_page_is_served_but_marked_noindex(certified):
    assert '<meta name="robots" content="noindex">' not in page(certified).content.decode()
    set_score_and_visibility(certified, score=50, visibility=Visibility.HIDDEN, cause="test")
    response = page(certified)
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_the_matrix_lists_application_versions_newest_first_against_published_versions(certified, magento):
    ApplicationVersionFactory(application=magento, label="2.5.x", release_date=datetime.date(2025, 1, 1))
    response = page(certified)
    matrix = response.context["matrix"]
    assert [row.application_version.label for row in matrix.rows] == ["2.5.x", "2.4.x", "2.3.x"]
    assert [version.number for version in matrix.integration_versions] == ["1.1.0", "1.0.0"]
    assert [row.supported_by for row in matrix.rows] == [[False, False], [True, False], [True, True]]
    assert matrix.latest_supported is False
    assert "does not support Magento's latest version, 2.5.x" in response.content.decode()


def test_the_matrix_says_when_the_newest_application_version_is_supported(certified):
    response = page(certified)
    assert response.context["matrix"].latest_supported is True
    assert "Supports Magento's latest version, 2.4.x." in response.content.decode()


def test_a_draft_version_is_not_in_the_matrix(certified):
    certified.versions.create(number="2.0.0")
    assert [v.number for v in page(certified).context["matrix"].integration_versions] == ["1.1.0", "1.0.0"]


@pytest.mark.parametrize(
    ("reader", "sees"),
    [("anonymous", False), ("carol", False), ("bob", False), ("misty", True), ("provider", True)],
)
def test_the_partner_brief_shows_only_to_misps_and_technology_partners(certified, carol, bob, misty, reader, sees):
    users = {"anonymous": None, "carol": carol, "bob": bob, "misty": misty}
    if reader == "provider":
        users["provider"] = UserFactory()
        MembershipFactory(user=users["provider"], organization=OrganizationFactory(is_provider=True), role=Role.MEMBER)
    assert (BRIEF in page(certified, users[reader]).content.decode()) is sees


def test_the_detail_page_costs_the_same_queries_whatever_the_integrations_history(
    certified, magento, misty, django_assert_max_num_queries
):
    client = client_for(misty)
    compatible = listed(magento, name="Early Magento")
    publish(compatible, "0.1.0")
    for round_ in range(2):
        for integration in (certified, compatible):
            # 23, and the sections higher apps add (the score: its latest snapshot, and its deductions)
            with django_assert_max_num_queries(25):
                client.get(reverse("listing_detail", args=[integration.slug]))
        for index in range(10):
            version = ApplicationVersionFactory(
                application=magento, release_date=datetime.date(2022, 1, 1) + datetime.timedelta(days=index)
            )
            publish(certified, f"3.{round_}.{index}", supports=[version])
            publish(compatible, f"0.2.{round_}{index}", supports=[version])


def test_the_page_has_a_canonical_link_and_opengraph_tags(certified, settings):
    settings.SITE_URL = "https://portal.example.com"
    content = page(certified).content.decode()
    canonical = "https://portal.example.com/marketplace/magento-by-northwind/"
    assert f'<link rel="canonical" href="{canonical}">' in content
    assert f'<meta property="og:url" content="{canonical}">' in content
    assert '<meta property="og:title" content="Magento by Northwind">' in content
    assert 'property="og:description" content="Keeps Magento orders' in content
