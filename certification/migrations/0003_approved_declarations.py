"""Approved requests keep the declarations the Certified rules read at approval. Requests approved
before this field existed get today's declarations: the closest record there is, and what their
versions were judged on until now. (The same document as
integrations.tiers.certified.declarations_document, written here with the historical models.)"""

from django.db import migrations, models


def _link(link, *, methods: bool) -> dict:
    return {
        "collection": link.collection_id,
        "collection_name": link.collection.name,
        "to_ipaas": list(link.to_ipaas_methods) if methods else [],
        "from_ipaas": list(link.from_ipaas_methods) if methods else [],
        "direction": "" if methods else link.direction,
    }


def _linked(item, name: str, *, methods: bool):
    try:
        return _link(getattr(item, name), methods=methods)
    except AttributeError:  # no link (the related object does not exist)
        return None


def _document(apps, integration_id: int) -> dict:
    objects = apps.get_model("integrations", "ForeignDataObject").objects.filter(
        integration_id=integration_id, state="accepted"
    )
    scopes = apps.get_model("integrations", "WebhookScope").objects.filter(integration_id=integration_id)
    events = apps.get_model("integrations", "InboxEvent").objects.filter(integration_id=integration_id)
    seen = {scope.lower() for scope in events.values_list("scope", flat=True)}
    current = (
        apps.get_model("integrations", "OpenAPIImport")
        .objects.filter(integration_id=integration_id, status="done")
        .order_by("-created_at", "-id")
        .first()
    )
    return {
        "objects": [
            {"name": obj.name, "link": _linked(obj, "link", methods=True)}
            for obj in objects.select_related("link__collection").order_by("name", "pk")
        ],
        "scopes": [
            {
                "name": scope.name,
                "link": _linked(scope, "link", methods=False),
                "seen": scope.first_seen_at is not None or scope.name.lower() in seen,
            }
            for scope in scopes.select_related("link__collection").order_by("name", "pk")
        ],
        "openapi_valid": bool(current and current.detected_version == "2.0" and current.error_count == 0),
        "openapi_imported": current is not None,
    }


def keep_declarations(apps, schema_editor):
    CertificationRequest = apps.get_model("certification", "CertificationRequest")
    for request_ in CertificationRequest.objects.filter(status="approved").select_related("version"):
        if request_.declarations:
            continue
        request_.declarations = _document(apps, request_.version.integration_id)
        request_.save(update_fields=["declarations"])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0002_workflow_templates"),
        ("integrations", "0012_integration_name_unique_per_owner"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificationrequest",
            name="declarations",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(keep_declarations, migrations.RunPython.noop),
    ]
