"""Migration 0009 moves every listing's search document into a row of its own, with its full-text
indexes, and going back moves it home; the listings made by the data migration of before (0003)
come through it with their documents."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from marketplace.listings.models import Listing, SearchDocument
from tests.factories import ApplicationFactory
from tests.marketplace.conftest import listed

BEFORE = [("marketplace", "0008_scoring_read_indexes")]
AFTER = [("marketplace", "0009_search_documents_apart")]


@pytest.fixture
def whole_schema_after():
    """Every app's latest migration back after the test, for the tests that follow in this process."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return MigrationExecutor(connection).loader.project_state(target).apps


def _indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE '%%USING gin%%'", [table]
        )
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_search_documents_move_apart_and_back_with_their_indexes(whole_schema_after):
    integration = listed(ApplicationFactory(name="Shopify"), name="Gift Card Sync", description="Syncs gift cards.")
    before = SearchDocument.objects.values().get(listing__integration=integration)

    old = _migrate(BEFORE)
    home = old.get_model("marketplace", "Listing").objects.values(*list(before)[1:]).get(integration_id=integration.pk)
    assert home == {column: value for column, value in before.items() if column != "listing_id"}
    if connection.vendor == "postgresql":
        assert _indexes("marketplace_listing") == {
            "marketplace_listing_search_vector_gin",
            "marketplace_listing_title_trgm_gin",
        }

    _migrate(AFTER)
    assert SearchDocument.objects.values().get(listing__integration=integration) == before
    if connection.vendor == "postgresql":
        assert _indexes("marketplace_listing") == set()
        assert _indexes("marketplace_searchdocument") == {
            "marketplace_searchdocument_vector_gin",
            "marketplace_searchdocument_title_trgm_gin",
        }


@pytest.mark.django_db(transaction=True)
def test_a_listing_the_first_data_migration_made_keeps_its_document(magento, whole_schema_after):
    integration = listed(magento, name="Old Timer")
    old = _migrate(BEFORE)
    old.get_model("marketplace", "Listing").objects.filter(integration_id=integration.pk).delete()
    first = importlib.import_module("marketplace.migrations.0003_listings_for_existing_integrations")
    at_0003 = MigrationExecutor(connection).loader.project_state(
        ("marketplace", "0003_listings_for_existing_integrations")
    )
    first.create_listings(at_0003.apps, SimpleNamespace(connection=connection))

    _migrate(AFTER)
    listing = Listing.objects.select_related("document").get(integration=integration)
    assert "Old Timer" in listing.document.search_title
