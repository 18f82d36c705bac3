"""What a request froze: the version's template mappings (with their rows) and mapping tests,
and the integration's foreign data objects and webhook scopes with their links, as plain JSON.
Staff read it beside the checks; the automation compares a new version's with the certified one's."""

import json

from integrations.models import (
    Direction,
    ForeignDataObject,
    IntegrationVersion,
    MappingTest,
    ObjectState,
    TemplateMapping,
    TemplateMappingRow,
    WebhookScope,
)

MAX_SAMPLE_CHARS = 2000  # a test's records are shown shortened; the full ones stay on the test


def _row(row: TemplateMappingRow) -> dict:
    return {
        "target": row.target,
        "kind": row.kind,
        "source": row.source,
        "formula": row.formula,
        "value": row.value,
        "table": row.table.name if row.table_id else "",
    }


def _short(value) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= MAX_SAMPLE_CHARS else text[:MAX_SAMPLE_CHARS] + "…"


def take_snapshot(version: IntegrationVersion) -> dict:
    """Five queries, whatever the size of the version."""
    rows: dict[int, list[dict]] = {}
    for row in TemplateMappingRow.objects.filter(mapping__version=version).select_related("table"):
        rows.setdefault(row.mapping_id, []).append(_row(row))
    mappings = [
        {
            "name": mapping.name,
            "collection": mapping.collection.key,
            "collection_name": mapping.collection.name,
            "direction": mapping.direction,
            "revision": mapping.revision,
            "rows": rows.get(mapping.pk, []),
        }
        for mapping in TemplateMapping.objects.filter(version=version).select_related("collection").order_by("name")
    ]
    tests = [
        {
            "name": test.name,
            "mapping": test.mapping.name,
            "sample": _short(test.sample),
            "expected": _short(test.expected),
        }
        for test in MappingTest.objects.filter(mapping__version=version)
        .select_related("mapping")
        .order_by("mapping__name", "name")
    ]
    objects = ForeignDataObject.objects.filter(integration_id=version.integration_id, state=ObjectState.ACCEPTED)
    pairs = []
    for obj in objects.select_related("link__collection").order_by("name"):
        link = getattr(obj, "link", None)
        for direction, methods in link.directions if link else ():
            pairs.append(
                {
                    "object": obj.name,
                    "collection": link.collection.key,
                    "direction": direction.value,
                    "methods": list(methods),
                }
            )
    scopes = [
        {
            "name": scope.name,
            "collection": scope.link.collection.key if hasattr(scope, "link") else "",
            "direction": scope.link.direction if hasattr(scope, "link") else "",
        }
        for scope in WebhookScope.objects.filter(integration_id=version.integration_id)
        .select_related("link__collection")
        .order_by("name")
    ]
    return {"mappings": mappings, "tests": tests, "objects": pairs, "scopes": scopes}


def _moves(snapshot: dict) -> set[tuple[str, str]]:
    """The collections and directions a version moves, by its links and its template mappings."""
    found = {(entry["collection"], entry["direction"]) for entry in snapshot.get("objects", [])}
    found |= {(entry["collection"], entry["direction"]) for entry in snapshot.get("mappings", [])}
    return found


def incompatible_changes(certified: dict, new: dict) -> list[str]:
    """What a customer of the certified version would lose with the new one: a collection or
    direction no longer moved, a declared webhook scope no longer declared."""
    changes = []
    for collection, direction in sorted(_moves(certified) - _moves(new)):
        changes.append(f"{collection} {Direction(direction).label} is no longer moved")
    old_scopes = {entry["name"].lower(): entry["name"] for entry in certified.get("scopes", [])}
    new_scopes = {entry["name"].lower() for entry in new.get("scopes", [])}
    for key in sorted(set(old_scopes) - new_scopes):
        changes.append(f"the webhook scope {old_scopes[key]} is no longer declared")
    return changes
