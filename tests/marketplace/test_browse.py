"""Browse and search the marketplace (SQLite here; PostgreSQL's ranking in test_search_postgres.py)."""

import pytest
from django.urls import reverse

from integrations.models import Category, Tier, WebhookScope
from marketplace.listings.models import Visibility
from marketplace.listings.services import refresh_search_documents, set_score_and_visibility
from tests.conftest import client_for
from tests.factories import ApplicationFactory
from tests.marketplace.conftest import BRIEF, listed

URL = reverse("marketplace_index")


def names(response) -> list[str]:
    return [listing.integration.name for listing in response.context["page"].object_list]


def facet(response, name):
    return {option.value: option.count for f in response.context["facets"] if f.name == name for option in f.options}


@pytest.fixture
def catalogue(db, magento, netsuite):
    """Four integrations on the marketplace, one below Compatible, one hidden and one delisted."""
    shop = listed(
        magento, name="Shop Sync", tier=Tier.CERTIFIED, price_per_month=20, hosts_on_premise=True, has_hook=True
    )
    erp = listed(netsuite, name="Ledger Link", tier=Tier.READY, price_up_front=500, price_per_month=300, has_queue=True)
    listed(magento, name="Catalogue Push", tier=Tier.ONE_CLICK, price_per_month=80, hosts_multitenant_cloud=True)
    listed(netsuite, name="Order Bridge", tier=Tier.COMPATIBLE, price_per_month=0)
    listed(magento, name="Unfinished", tier=Tier.NONE)
    set_score_and_visibility(listed(magento, name="Quiet One"), score=55, visibility=Visibility.HIDDEN, cause="test")
    set_score_and_visibility(listed(magento, name="Gone One"), score=20, visibility=Visibility.DELISTED, cause="test")
    return {"shop": shop, "erp": erp}


def test_a_visitor_browses_every_listed_integration_at_compatible_or_above(catalogue):
    response = client_for(None).get(URL)
    assert response.status_code == 200
    assert sorted(names(response)) == ["Catalogue Push", "Ledger Link", "Order Bridge", "Shop Sync"]


def test_the_card_shows_application_provider_tier_and_price(catalogue):
    content = client_for(None).get(URL).content.decode()
    assert "Shop Sync" in content and "Magento" in content
    assert catalogue["shop"].application.provider.name in content
    assert "Certified + One-Click" in content
    assert "$500 up front + $300 a month" in content


def test_search_finds_an_integration_by_name_application_provider_and_scope(catalogue):
    WebhookScope.objects.create(integration=catalogue["erp"], name="invoice/paid")
    refresh_search_documents([catalogue["erp"].pk])
    client = client_for(None)
    assert names(client.get(URL, {"q": "ledger"})) == ["Ledger Link"]
    assert sorted(names(client.get(URL, {"q": "netsuite"}))) == ["Ledger Link", "Order Bridge"]
    assert names(client.get(URL, {"q": "invoice"})) == ["Ledger Link"]
    provider = catalogue["erp"].application.provider.name
    assert "Ledger Link" in names(client.get(URL, {"q": provider}))


def test_a_scope_added_later_is_found_without_a_manual_refresh(catalogue):
    WebhookScope.objects.create(integration=catalogue["shop"], name="shipment/dispatched")
    assert names(client_for(None).get(URL, {"q": "dispatched"})) == ["Shop Sync"]


def test_a_renamed_application_is_found_by_its_new_name(catalogue, netsuite):
    netsuite.name = "Oracle NetSuite"
    netsuite.save()
    assert sorted(names(client_for(None).get(URL, {"q": "oracle"}))) == ["Ledger Link", "Order Bridge"]


def test_search_never_finds_the_partner_brief(catalogue):
    catalogue["shop"].brief_typical_market = BRIEF
    catalogue["shop"].save()
    response = client_for(None).get(URL, {"q": "spreadsheets"})
    assert names(response) == []
    assert BRIEF not in client_for(None).get(URL).content.decode()


def test_filters_narrow_the_results(catalogue, magento):
    client = client_for(None)
    assert sorted(names(client.get(URL, {"tier": ["certified", "ready"]}))) == ["Ledger Link", "Shop Sync"]
    assert sorted(names(client.get(URL, {"application": "magento"}))) == ["Catalogue Push", "Shop Sync"]
    assert sorted(names(client.get(URL, {"category": Category.ERP}))) == ["Ledger Link", "Order Bridge"]
    assert names(client.get(URL, {"hosting": "on-premise"})) == ["Shop Sync"]
    assert names(client.get(URL, {"event": "queue"})) == ["Ledger Link"]
    assert sorted(names(client.get(URL, {"free_setup": "on"}))) == ["Catalogue Push", "Order Bridge", "Shop Sync"]
    assert sorted(names(client.get(URL, {"monthly": "50"}))) == ["Order Bridge", "Shop Sync"]
    assert names(client.get(URL, {"one_click": "on"})) == ["Catalogue Push"]
    assert names(client.get(URL, {"application": "magento", "hosting": "multitenant-cloud"})) == ["Catalogue Push"]


def test_each_filter_counts_the_listings_its_options_would_show(catalogue):
    response = client_for(None).get(URL, {"application": "magento"})
    # A filter's own options are counted without it, so other applications stay choosable.
    assert facet(response, "application") == {"magento": 2, "netsuite": 2}
    assert facet(response, "tier") == {"compatible": 0, "ready": 0, "certified": 1, "one-click": 1}
    assert facet(response, "hosting") == {"multitenant-cloud": 1, "private-cloud": 0, "on-premise": 1}
    assert facet(response, "monthly")["50"] == 1


def test_sorts_by_price_newest_and_score(catalogue):
    client = client_for(None)
    assert names(client.get(URL, {"sort": "price"})) == ["Order Bridge", "Shop Sync", "Catalogue Push", "Ledger Link"]
    assert names(client.get(URL, {"sort": "newest"}))[0] == "Order Bridge"
    set_score_and_visibility(catalogue["erp"], score=90, visibility=Visibility.LISTED, cause="test")
    assert names(client.get(URL, {"sort": "score"}))[0] == "Ledger Link"


def test_every_state_is_kept_in_the_page_links(catalogue):
    for index in range(30):
        listed(name=f"Filler {index:02}", tier=Tier.COMPATIBLE, has_queue=True)
    content = client_for(None).get(URL, {"event": "queue", "sort": "price"}).content.decode()
    assert "?event=queue&amp;sort=price&amp;page=2" in content


@pytest.mark.parametrize(
    "query",
    [
        {"tier": "platinum"},
        {"sort": "'; drop table"},
        {"page": "9999999"},
        {"page": "-1"},
        {"page": "abc"},
        {"application": "<script>"},
        {"monthly": "1e9"},
        {"hosting": ["on-premise", "moon"]},
        {"q": "x" * 10_000},
        {"q": "a\x00b"},
        {"unknown": "filter"},
    ],
)
def test_nonsense_in_the_query_string_is_ignored(catalogue, query):
    response = client_for(None).get(URL, query)
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 1 or "q" in query


def test_a_ten_kilobyte_query_string_of_parameters_is_answered_without_an_error(catalogue):
    response = client_for(None).get(URL + "?" + "&".join(f"tier=x{i}" for i in range(1500)))
    assert response.status_code in (200, 400)


def test_the_listing_and_search_pages_cost_the_same_queries_whatever_the_number_of_integrations(
    catalogue, django_assert_max_num_queries
):
    client = client_for(None)
    queries = [{}, {"q": "sync"}, {"tier": "certified", "hosting": "on-premise", "sort": "price"}]
    for _ in range(2):
        for query in queries:
            with django_assert_max_num_queries(12):
                client.get(URL, query)
        for index in range(25):
            application = ApplicationFactory()
            listed(application, name=f"Sync {index}", tier=Tier.CERTIFIED, hosts_on_premise=True)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"tier": "certified"},
        {"tier": ["certified", "ready"]},
        {"one_click": "on"},
        {"one_click": "on", "tier": "ready"},
        {"q": "sync"},
        {"hosting": "on-premise", "tier": "compatible"},
        {"monthly": "250", "sort": "price"},
    ],
)
def test_the_number_of_results_shown_is_the_number_of_listings_that_match(catalogue, query):
    response = client_for(None).get(URL, query)
    assert response.context["page"].paginator.count == len(names(response))
    count = response.context["page"].paginator.count
    assert f"{count} integration{'' if count == 1 else 's'}" in response.content.decode()


def test_the_filter_counts_are_kept_until_a_listing_changes_and_then_show_the_change(
    catalogue, netsuite, django_assert_max_num_queries
):
    client = client_for(None)
    assert facet(client.get(URL), "tier")["ready"] == 1
    with django_assert_max_num_queries(3):  # the page of ids, its cards, the cache in memory (the count is the facets')
        assert facet(client.get(URL, {"sort": "price"}), "tier")["ready"] == 1  # the sort counts the same
    listed(netsuite, name="Second Ledger", tier=Tier.READY)
    assert facet(client.get(URL), "tier")["ready"] == 2
    set_score_and_visibility(catalogue["erp"], score=10, visibility=Visibility.DELISTED, cause="test")
    assert facet(client.get(URL), "tier")["ready"] == 1
