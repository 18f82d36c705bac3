"""The search document leaves the listing's row for one of its own (SearchDocument): the scoring
run and the ratings rewrite listing rows, and each rewrite copied the document and added entries
to both full-text indexes. The rows and the GIN indexes move; going back moves them home."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

COLUMNS = ("search_title", "search_parties", "search_terms", "search_body", "search_vector")
INDEXES = {  # table: [(name, method)]
    "marketplace_searchdocument": [
        ("marketplace_searchdocument_vector_gin", "USING gin (search_vector)"),
        ("marketplace_searchdocument_title_trgm_gin", "USING gin (search_title gin_trgm_ops)"),
    ],
    "marketplace_listing": [
        ("marketplace_listing_search_vector_gin", "USING gin (search_vector)"),
        ("marketplace_listing_title_trgm_gin", "USING gin (search_title gin_trgm_ops)"),
    ],
}


def copy_documents(apps, schema_editor):
    columns = ", ".join(COLUMNS)
    schema_editor.execute(
        f"INSERT INTO marketplace_searchdocument (listing_id, {columns}) SELECT id, {columns} FROM marketplace_listing"  # noqa: S608
    )


def copy_documents_back(apps, schema_editor):
    def value(column):
        found = f"(SELECT document.{column} FROM marketplace_searchdocument document WHERE document.listing_id = marketplace_listing.id)"  # noqa: E501, S608
        return found if column == "search_vector" else f"coalesce({found}, '')"  # a listing without one: empty text

    assignments = ", ".join(f"{column} = {value(column)}" for column in COLUMNS)
    schema_editor.execute(f"UPDATE marketplace_listing SET {assignments}")  # noqa: S608 - our column names


def _create(schema_editor, table):
    if schema_editor.connection.vendor == "postgresql":
        for name, method in INDEXES[table]:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {method}")


def _drop(schema_editor, table):
    if schema_editor.connection.vendor == "postgresql":
        for name, _ in INDEXES[table]:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def move_indexes(apps, schema_editor):
    _create(schema_editor, "marketplace_searchdocument")
    _drop(schema_editor, "marketplace_listing")


def move_indexes_back(apps, schema_editor):
    _create(schema_editor, "marketplace_listing")
    _drop(schema_editor, "marketplace_searchdocument")


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0008_scoring_read_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "listing",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="document",
                        serialize=False,
                        to="marketplace.listing",
                    ),
                ),
                ("search_title", models.CharField(blank=True, editable=False, max_length=400)),
                ("search_parties", models.CharField(blank=True, editable=False, max_length=400)),
                ("search_terms", models.TextField(blank=True, editable=False)),
                ("search_body", models.TextField(blank=True, editable=False)),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ],
        ),
        migrations.RunPython(copy_documents, copy_documents_back),
        migrations.RunPython(move_indexes, move_indexes_back),
        migrations.RemoveField(model_name="listing", name="search_body"),
        migrations.RemoveField(model_name="listing", name="search_parties"),
        migrations.RemoveField(model_name="listing", name="search_terms"),
        migrations.RemoveField(model_name="listing", name="search_title"),
        migrations.RemoveField(model_name="listing", name="search_vector"),
    ]
