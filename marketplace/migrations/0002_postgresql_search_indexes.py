"""PostgreSQL's search: the pg_trgm extension, a GIN index on the stored search vector and a trigram
GIN index on the title (so "magneto" still finds Magento). SQLite has neither and searches the text."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("marketplace_listing_search_vector_gin", "USING gin (search_vector)"),
    ("marketplace_listing_title_trgm_gin", "USING gin (search_title gin_trgm_ops)"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, method in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON marketplace_listing {method}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_listings")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
