"""Whether a workflow template's definition fits one IntegrationVersion: its trigger scope is a
webhook scope the version declares (as certified, for a certified version), and each step names
a collection and direction the version maps with a template mapping of that very version,
covering the collection's required fields. A fixed number of queries, whatever the number of
steps."""

from collections import defaultdict

from django.template.defaultfilters import pluralize

from certification.requests.selectors import declared_scope_names
from certification.workflow_templates.definition import Definition
from integrations.mappings.services import unmapped_required_fields
from integrations.models import (
    DataModelField,
    Direction,
    IntegrationVersion,
    MappingCollection,
    TemplateMapping,
    TemplateMappingRow,
)
from integrations.tiers.certified import names


def fit_reasons(version: IntegrationVersion, definition: Definition) -> list[str]:
    """Why the definition does not fit the version (empty when it does)."""
    reasons = []
    integration = version.integration
    if definition.trigger_type == "webhook":
        declared = declared_scope_names(version)
        if definition.scope.lower() not in {name.lower() for name in declared}:
            known = f" (it declares {names(declared)})" if declared else " (it declares none)"
            reasons.append(
                f"The trigger “{definition.scope}” is not a webhook scope {integration.name} declares{known}."
            )
    mappings = {m.name.lower(): m for m in TemplateMapping.objects.filter(version=version).select_related("collection")}
    collections = _collections(definition)
    elsewhere = _mappings_elsewhere(version, definition, mappings)
    rows, required = _rows_and_required(mappings.values())
    on_version = {(m.collection_id, m.direction) for m in mappings.values()}
    for number, step in enumerate(definition.steps, start=1):
        reason = _step_reason(version, step, collections, mappings, elsewhere, on_version)
        if reason is None:
            mapping = mappings[step.mapping.lower()]
            unmapped = unmapped_required_fields(mapping, rows[mapping.pk], required[mapping.collection_id])
            if unmapped:
                fields = f"field{pluralize(len(unmapped))} {names(f.name for f in unmapped)}"
                reason = f"“{mapping.name}” leaves the required {fields} unmapped."
        if reason:
            reasons.append(f"Step {number}: {reason}")
    return reasons


def _collections(definition: Definition) -> dict[str, MappingCollection]:
    """The data model's collections the steps name, by key or by name, lower-cased."""
    wanted = {step.collection.lower() for step in definition.steps}
    found = {}
    for collection in MappingCollection.objects.all():
        for label in (collection.key.lower(), collection.name.lower()):
            if label in wanted:
                found[label] = collection
    return found


def _mappings_elsewhere(version, definition, own: dict) -> dict[str, list[str]]:
    """For names not on the version: the other versions of the same integration that have them."""
    missing = {step.mapping.lower() for step in definition.steps} - set(own)
    if not missing:
        return {}
    found = defaultdict(list)
    others = TemplateMapping.objects.filter(version__integration_id=version.integration_id).exclude(version=version)
    for name, number in others.values_list("name", "version__number"):
        if name.lower() in missing:
            found[name.lower()].append(number)
    return found


def _rows_and_required(mappings) -> tuple[dict, dict]:
    mappings = list(mappings)
    rows, required = defaultdict(list), defaultdict(list)
    for row in TemplateMappingRow.objects.filter(mapping__in=mappings).only(
        "mapping_id", "target", "source", "kind", "formula"
    ):
        rows[row.mapping_id].append(row)
    fields = DataModelField.objects.filter(collection_id__in={m.collection_id for m in mappings}, required=True)
    for field in fields:
        required[field.collection_id].append(field)
    return rows, required


def _step_reason(version, step, collections, mappings, elsewhere, on_version) -> str | None:
    collection = collections.get(step.collection.lower())
    if collection is None:
        return f"“{step.collection}” is not a MappingCollection of the iPaaS.com data model."
    direction = Direction(step.direction)
    if (collection.pk, direction) not in on_version:
        return f"version {version.number} has no template mapping of {collection.name} {direction.label}."
    mapping = mappings.get(step.mapping.lower())
    if mapping is None:
        other = elsewhere.get(step.mapping.lower())
        where = f" (it is a template mapping of version {names(other)})" if other else ""
        return f"“{step.mapping}” is not a template mapping of version {version.number}{where}."
    if mapping.collection_id != collection.pk or mapping.direction != direction:
        return (
            f"“{mapping.name}” maps {mapping.collection.name} {Direction(mapping.direction).label}, "
            f"not {collection.name} {direction.label}."
        )
    return None
