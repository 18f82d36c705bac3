import django.db.models.functions.text
from django.db import migrations, models


def number_duplicate_names(apps, schema_editor):
    """Integrations an organization created twice under one name (before this constraint) get
    " (2)", " (3)" ... so the constraint can be added; nothing is deleted."""
    Integration = apps.get_model("integrations", "Integration")
    seen: dict[tuple[int, str], int] = {}
    for integration in Integration.objects.order_by("owner_id", "created_at", "pk"):
        key = (integration.owner_id, integration.name.lower())
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            integration.name = f"{integration.name[:110]} ({seen[key]})"
            integration.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0011_openapi_import_started_at"),
        ("portal", "0007_organization_creator_and_form_tokens"),
    ]

    operations = [
        migrations.RunPython(number_duplicate_names, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="integration",
            constraint=models.UniqueConstraint(
                models.F("owner"),
                django.db.models.functions.text.Lower("name"),
                name="unique_integration_name_per_owner",
                violation_error_message="This organization already has an integration with this name.",
            ),
        ),
    ]
