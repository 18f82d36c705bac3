"""Every integration made before the marketplace existed gets its listing: listed, no score yet."""

from django.db import migrations

from integrations.registry.models import Category
from marketplace.listings.documents import VECTOR, search_document


def _document(integration, collections):
    return search_document(
        name=integration.name,
        application=integration.application.name,
        provider=integration.application.provider.name,
        owner=integration.owner.name,
        category=Category(integration.application.category).label,
        description=integration.description,
        features=integration.features,
        scopes=[scope.name for scope in integration.scopes.all()],
        collections=collections.get(integration.pk, []),
    )


def create_listings(apps, schema_editor):
    Integration = apps.get_model("integrations", "Integration")
    ForeignObjectLink = apps.get_model("integrations", "ForeignObjectLink")
    Listing = apps.get_model("marketplace", "Listing")
    collections = {}
    for integration_id, name in ForeignObjectLink.objects.values_list(
        "foreign_object__integration", "collection__name"
    ):
        collections.setdefault(integration_id, set()).add(name)
    collections = {key: sorted(names) for key, names in collections.items()}
    integrations = Integration.objects.filter(listing__isnull=True).select_related("application__provider", "owner")
    Listing.objects.bulk_create(
        Listing(integration=integration, **_document(integration, collections))
        for integration in integrations.prefetch_related("scopes")
    )
    if schema_editor.connection.vendor == "postgresql":
        Listing.objects.update(search_vector=VECTOR)


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0002_postgresql_search_indexes"),
        ("integrations", "0009_foreign_object_paths_help"),
    ]

    operations = [migrations.RunPython(create_listings, migrations.RunPython.noop)]
