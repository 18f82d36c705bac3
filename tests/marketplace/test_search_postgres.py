"""PostgreSQL's ranked search: the weighted search vector and trigram similarity (SQLite has neither)."""

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from integrations.models import Tier, WebhookScope
from marketplace.listings.models import Listing
from marketplace.listings.services import refresh_search_documents
from tests.conftest import client_for
from tests.factories import ApplicationFactory, OrganizationFactory
from tests.marketplace.conftest import listed

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranked search uses PostgreSQL's tsvector and pg_trgm (set DATABASE_URL)"
)

URL = reverse("marketplace_index")


def names(query: dict) -> list[str]:
    response = client_for(None).get(URL, query)
    assert response.status_code == 200
    return [listing.integration.name for listing in response.context["page"].object_list]


@pytest.fixture
def shelf(magento, netsuite):
    acme_tools = OrganizationFactory(name="Acme Tools", is_provider=True)
    return {
        "title": listed(magento, name="Magento Order Sync", tier=Tier.READY),
        "body": listed(
            ApplicationFactory(name="BigCommerce", provider=acme_tools),
            name="Storefront Bridge",
            description="Also imports Magento order history when a merchant migrates.",
            tier=Tier.CERTIFIED,
        ),
        "other": listed(netsuite, name="Ledger Link", description="General ledger entries."),
    }


def test_the_search_vector_is_stored_for_every_listing(shelf):
    assert not Listing.objects.filter(Q(document__isnull=True) | Q(document__search_vector__isnull=True)).exists()


def test_a_title_match_ranks_above_a_match_in_the_description(shelf):
    assert names({"q": "magento"}) == ["Magento Order Sync", "Storefront Bridge"]


def test_a_misspelt_application_is_found_by_trigram_similarity(shelf):
    assert names({"q": "magneto"})[0] == "Magento Order Sync"
    assert "Ledger Link" not in names({"q": "magneto"})


def test_english_stemming_finds_other_forms_of_a_word(shelf):
    assert names({"q": "ledgers"}) == ["Ledger Link"]
    assert names({"q": "migrating"}) == ["Storefront Bridge"]


def test_the_provider_and_a_webhook_scope_are_searched(shelf):
    WebhookScope.objects.create(integration=shelf["other"], name="journal/posted")
    refresh_search_documents([shelf["other"].pk])
    assert names({"q": "acme tools"}) == ["Storefront Bridge"]
    assert names({"q": "journal"}) == ["Ledger Link"]


def test_search_operators_and_stray_punctuation_never_fail(shelf):
    for query in ['"magento order', "magento -history", "magento OR ledger", "!!&|():*", "'; select 1; --", "\\"]:
        names({"q": query})
    assert names({"q": "magento -history"}) == ["Magento Order Sync"]


def test_relevance_can_be_combined_with_filters_and_counts(shelf):
    response = client_for(None).get(URL, {"q": "magento", "tier": "certified"})
    assert [listing.integration.name for listing in response.context["page"].object_list] == ["Storefront Bridge"]
    tiers = next(facet for facet in response.context["facets"] if facet.name == "tier")
    assert {option.value: option.count for option in tiers.options}["ready"] == 1


def test_the_search_page_costs_the_same_queries_on_postgresql(shelf, magento, django_assert_max_num_queries):
    for _ in range(2):
        with django_assert_max_num_queries(12):
            client_for(None).get(URL, {"q": "magento", "hosting": "on-premise"})
        for index in range(20):
            listed(magento, name=f"Magento Extra {index}", tier=Tier.CERTIFIED)
