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
from tests.migrations import migrate_to

BEFORE = [("marketplace", "0008_scoring_read_indexes")]
AFTER = [("marketplace", "0009_search_documents_apart")]


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

    old = migrate_to(BEFORE)
    home = old.get_model("marketplace", "Listing").objects.values(*list(before)[1:]).get(integration_id=integration.pk)
    assert home == {column: value for column, value in before.items() if column != "listing_id"}
    if connection.vendor == "postgresql":
        assert _indexes("marketplace_listing") == {
            "marketplace_listing_search_vector_gin",
            "marketplace_listing_title_trgm_gin",
        }

    migrate_to(AFTER)
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
    old = migrate_to(BEFORE)
    old.get_model("marketplace", "Listing").objects.filter(integration_id=integration.pk).delete()
    first = importlib.import_module("marketplace.migrations.0003_listings_for_existing_integrations")
    at_0003 = MigrationExecutor(connection).loader.project_state(
        ("marketplace", "0003_listings_for_existing_integrations")
    )
    first.create_listings(at_0003.apps, SimpleNamespace(connection=connection))

    migrate_to(AFTER)
    listing = Listing.objects.select_related("document").get(integration=integration)
    assert "Old Timer" in listing.document.search_title
