"""Actions for how an integration meets the common data model: links of foreign data objects and
webhook scopes to MappingCollections, translation tables, and the template mappings of a version's
sandbox with their rows.

Every action locks the integration row first (one order of locks for all of them), records an
audit row and recomputes the tiers (the Certified rules read links, mappings and rows). Every
change to a template mapping or its rows adds one to the mapping's `revision`.

Rows are saved one at a time with optimistic locking: the editor posts the row revision it loaded,
and the save is a conditional UPDATE ... WHERE revision = that one. When another person saved the
row in between, nothing is written and RowConflict carries their version of the row. A mapping's
own fields are locked the same way on its revision (MappingConflict), which its rows' changes
also count, as they do for deleting the mapping.

Reverse clones (the opposite direction) keep every row: field-to-field and translation rows swap
source and target (a translation row keeps its table, with a note to check that the table reads
the other way); formula and static rows cannot be turned around and are kept as they are, with a
note. A swapped row whose new target another row already has is left out and named in the new
mapping's notes. The filters read the other side's fields, so a reverse clone starts without them.
A clone keeps its parent template mapping only where it still fits (mapping_checks): a reverse
clone's parent went the old direction, so it starts without one and its notes say so.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from integrations.formulas import RowKind
from integrations.formulas.syntax import parse
from integrations.mappings import link_checks
from integrations.mappings.checks import ParentRefused, children_problem, parent_problem, refuse_bad_parent
from integrations.models import (
    Direction,
    ForeignDataObject,
    ForeignObjectLink,
    Integration,
    IntegrationVersion,
    MappingCollection,
    ObjectState,
    ScopeLink,
    SyncType,
    TemplateMapping,
    TemplateMappingRow,
    TranslationTable,
    WebhookScope,
)
from integrations.tiers import engine as tiers
from integrations.workspace.freeze import refuse_if_declarations_frozen, refuse_if_frozen
from portal.models import User
from portal.services import ActionRefused, record

CAUSE_LINKS = "data model links changed"
CAUSE_MAPPINGS = "template mappings changed"
NAME_SUFFIX = re.compile(r"^(?P<head>.+?)\s+(?P<sync>ADD|MODIFY|DELETE)\s+(?P<direction>FROM|TO)\s+IPAAS$")
MAPPING_FIELDS = (
    "name",
    "collection",
    "parent",
    "direction",
    "sync_type",
    "collision_handling",
    "mapping_filter",
    "error_filter",
    "notes",
)


class MappingConflict(ActionRefused):
    """The template mapping has another revision than the one loaded (it or a row changed), or was
    deleted (`current` is None); `current` is the mapping as it is now."""

    def __init__(self, current: TemplateMapping | None, message: str):
        self.current = current
        if current is None:
            message = "Someone else deleted this template mapping in the meantime."
        super().__init__(message)


class RowConflict(ActionRefused):
    """Someone else saved (or deleted) the row since it was loaded; `current` is their version."""

    def __init__(self, current: TemplateMappingRow | None):
        self.current = current
        if current is None:
            message = "Someone else deleted this row while you were editing it. Your values are below: add it again."
        else:
            message = "Someone else changed this row while you were editing it: here is their version."
        super().__init__(message)


@dataclass(frozen=True)
class RowValues:
    target: str
    kind: str
    source: str = ""
    formula: str = ""
    value: str = ""
    table: TranslationTable | None = None
    default: str | None = None
    notes: str = ""

    def cleaned(self) -> dict:
        """The values as stored: what does not belong to the row's kind is left empty."""
        kind = RowKind(self.kind)
        uses_source = kind in (RowKind.FIELD, RowKind.TRANSLATION)
        return {
            "target": self.target.strip(),
            "kind": kind.value,
            "source": self.source.strip() if uses_source else "",
            "formula": self.formula if kind is RowKind.FORMULA else "",
            "value": self.value if kind is RowKind.STATIC else "",
            "table": self.table if kind is RowKind.TRANSLATION else None,
            "has_default": kind is RowKind.TRANSLATION and self.default is not None,
            "default": (self.default or "") if kind is RowKind.TRANSLATION else "",
            "notes": self.notes,
        }


# --- Naming and checking -------------------------------------------------------------------


def propose_mapping_name(application_name: str, collection: MappingCollection, sync_type: str, direction: str) -> str:
    """The name the convention gives: "[APPLICATION] [DATA MODEL] [ADD/MODIFY/DELETE] [FROM/TO] IPAAS"."""
    return f"{application_name} {collection.name} {SyncType(sync_type).name} {Direction(direction).name_part}"


def mapping_name_problem(name: str, sync_type: str, direction: str) -> str:
    """Why the name does not follow the convention for this sync type and direction ("" when it does)."""
    match = NAME_SUFFIX.match(" ".join(name.split()))
    example = "Magento Customer ADD TO IPAAS"
    if not match or len(match["head"].split()) < 2:
        return f"Name it “[APPLICATION] [DATA MODEL] [ADD/MODIFY/DELETE] [FROM/TO] IPAAS”, such as “{example}”."
    if sync_type and match["sync"] != SyncType(sync_type).name:
        return f"The name says {match['sync']} but the sync type is {SyncType(sync_type).name}."
    if direction and f"{match['direction']} IPAAS" != Direction(direction).name_part:
        return f"The name says {match['direction']} IPAAS but the direction is {Direction(direction).name_part}."
    return ""


def unmapped_required_fields(mapping: TemplateMapping, rows: Iterable[TemplateMappingRow], fields) -> list:
    """The required fields of the mapping's collection no row covers. To iPaaS, the data model
    is the target: a row must have the field as its target. From iPaaS it is the source: a row
    must read it (as a field-to-field or translation source, or by name in a formula)."""
    required = [field for field in fields if field.required]
    if mapping.direction == Direction.TO_IPAAS:
        covered = {row.target.strip() for row in rows}
    else:
        covered = set()
        for row in rows:
            covered.add(row.source.strip().split(".")[0])
            if row.kind == RowKind.FORMULA and row.formula:
                covered |= _formula_names(row.formula)
    return [field for field in required if field.name not in covered]


def _formula_names(text: str) -> set[str]:
    parsed = parse(text)
    if parsed.tree is None:
        return set()
    return {node.id for node in ast.walk(parsed.tree) if isinstance(node, ast.Name)}


# --- Links to the data model ---------------------------------------------------------------


def link_foreign_object(
    obj: ForeignDataObject,
    *,
    acting_user: User,
    collection: MappingCollection,
    to_ipaas_methods: list[str],
    from_ipaas_methods: list[str],
) -> ForeignObjectLink:
    with transaction.atomic():
        integration = Integration.objects.lock(obj.integration)
        refuse_if_declarations_frozen(integration)
        obj = ForeignDataObject.objects.get(pk=obj.pk)
        if obj.state != ObjectState.ACCEPTED:
            raise ActionRefused(f"Accept {obj.name} on the OpenAPI page before linking it to the data model.")
        problem = link_checks.methods_problem(obj, to_ipaas_methods, from_ipaas_methods)
        if problem:
            raise ActionRefused(problem)
        link, _ = ForeignObjectLink.objects.update_or_create(
            foreign_object=obj,
            defaults={
                "collection": collection,
                "to_ipaas_methods": list(to_ipaas_methods),
                "from_ipaas_methods": list(from_ipaas_methods),
                "updated_at": timezone.now(),
            },
        )
        directions = "; ".join(f"{d.label}: {', '.join(m)}" for d, m in link.directions) or "no direction"
        record(
            actor=acting_user,
            kind="foreign_object.linked",
            organization=integration.owner,
            target=obj,
            target_label=obj.name,
            within=integration,
            to_state=collection.name,
            comment=directions,
        )
        tiers.recompute(integration, cause=CAUSE_LINKS)
    return link


def link_scope(scope: WebhookScope, *, acting_user: User, collection: MappingCollection, direction: str) -> ScopeLink:
    with transaction.atomic():
        integration = Integration.objects.lock(scope.integration)
        refuse_if_declarations_frozen(integration)
        problem = link_checks.scope_direction_problem(integration, scope.name, collection, direction)
        if problem:
            raise ActionRefused(problem)
        link, _ = ScopeLink.objects.update_or_create(
            scope=scope, defaults={"collection": collection, "direction": direction, "updated_at": timezone.now()}
        )
        record(
            actor=acting_user,
            kind="webhook_scope.linked",
            organization=integration.owner,
            target=scope,
            target_label=scope.name,
            within=integration,
            to_state=f"{collection.name} {Direction(direction).label}",
        )
        tiers.recompute(integration, cause=CAUSE_LINKS)
    return link


# --- Template mappings ---------------------------------------------------------------------


def touch_mappings(mappings) -> None:
    """Count a change to each mapping of the queryset: their tests are stale until the next run."""
    mappings.update(revision=F("revision") + 1, updated_at=timezone.now())


def touch_mapping(mapping: TemplateMapping) -> None:
    touch_mappings(TemplateMapping.objects.filter(pk=mapping.pk))


def _audit(acting_user, integration: Integration, kind: str, target, within, comment: str = "", **labels) -> None:
    """An audit row in the integration owner's trail: `target` changed, within `within`."""
    record(
        actor=acting_user,
        kind=kind,
        organization=integration.owner,
        target=target,
        within=within,
        comment=comment,
        **labels,
    )


def create_template_mapping(version: IntegrationVersion, *, acting_user: User, **values) -> TemplateMapping:
    with transaction.atomic():
        integration = Integration.objects.lock(version.integration)
        refuse_if_frozen(version)
        _refuse_taken_name(version, values["name"])
        refuse_bad_parent(version, values["collection"], values["direction"], values["parent"])
        mapping = TemplateMapping.objects.create(version=version, **{k: values[k] for k in MAPPING_FIELDS})
        _audit(acting_user, integration, "template_mapping.created", mapping, version)
        tiers.recompute(integration, cause=CAUSE_MAPPINGS)
    return mapping


EDIT_CONFLICT = (
    "Someone else changed this template mapping (or one of its rows) while you were editing it. "
    "Their values are shown beside yours, which are kept below: save again to put yours over theirs."
)


def update_template_mapping(
    mapping: TemplateMapping, *, acting_user: User, expected_revision: int, **values
) -> TemplateMapping:
    """Save the mapping's own fields only if it still has `expected_revision`, the revision the
    form was loaded with; otherwise raise MappingConflict with the mapping as it is now."""
    with transaction.atomic():
        integration = Integration.objects.lock(mapping.version.integration)
        refuse_if_frozen(mapping.version)
        mapping = TemplateMapping.objects.select_for_update(of=("self",)).filter(pk=mapping.pk).first()
        if mapping is None or mapping.revision != expected_revision:
            raise MappingConflict(mapping, EDIT_CONFLICT)
        _refuse_taken_name(mapping.version, values["name"], exclude=mapping)
        refuse_bad_parent(mapping.version, values["collection"], values["direction"], values["parent"], mapping)
        problem = children_problem(mapping, values["collection"], values["direction"])
        if problem:
            raise ParentRefused(problem, field=None)
        for key in MAPPING_FIELDS:
            setattr(mapping, key, values[key])
        mapping.updated_at = timezone.now()
        mapping.revision += 1
        mapping.save()
        _audit(
            acting_user,
            integration,
            "template_mapping.updated",
            mapping,
            mapping.version,
            comment=f"revision {expected_revision} → {mapping.revision}",
        )
        tiers.recompute(integration, cause=CAUSE_MAPPINGS)
    return mapping


def _refuse_taken_name(version: IntegrationVersion, name: str, exclude: TemplateMapping | None = None) -> None:
    taken = version.template_mappings.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ActionRefused(f"Version {version.number} already has a template mapping named “{name}”.")


def clone_template_mapping(mapping: TemplateMapping, *, acting_user: User, reverse: bool = False) -> TemplateMapping:
    """A copy in the same direction, or (reverse) in the opposite one; see the module docstring."""
    with transaction.atomic():
        integration = Integration.objects.lock(mapping.version.integration)
        refuse_if_frozen(mapping.version)
        direction = Direction(mapping.direction).opposite if reverse else Direction(mapping.direction)
        parent = mapping.parent
        if parent_problem(mapping.version, mapping.collection, direction, parent):
            parent = None  # reversed, the parent's direction no longer fits: the person chooses one
        rows, left_out = _cloned_rows(list(mapping.rows.all()), reverse=reverse, origin=mapping.name)
        notes = mapping.notes
        if reverse:
            notes = _reverse_notes(mapping, left_out, parent_dropped=mapping.parent is not None and parent is None)
        clone = TemplateMapping.objects.create(
            version=mapping.version,
            name=_free_name(mapping, direction),
            collection=mapping.collection,
            parent=parent,
            direction=direction,
            sync_type=mapping.sync_type,
            collision_handling=mapping.collision_handling,
            mapping_filter="" if reverse else mapping.mapping_filter,
            error_filter="" if reverse else mapping.error_filter,
            notes=notes[:4000],
        )
        for row in rows:
            row.mapping = clone
        TemplateMappingRow.objects.bulk_create(rows)
        kind = "template_mapping.reverse_cloned" if reverse else "template_mapping.cloned"
        _audit(acting_user, integration, kind, clone, mapping.version, comment=f"from {mapping.name}")
        tiers.recompute(integration, cause=CAUSE_MAPPINGS)
    return clone


def _free_name(mapping: TemplateMapping, direction: Direction) -> str:
    """The original's name with the new direction and, when that is taken, "Copy" (then "Copy 2")
    after the data model, so the clone's name still follows the convention."""
    match = NAME_SUFFIX.match(" ".join(mapping.name.split()))
    head, sync = (match["head"], match["sync"]) if match else (mapping.name, SyncType(mapping.sync_type).name)
    taken = {name.lower() for name in mapping.version.template_mappings.values_list("name", flat=True)}
    for n in range(1, 1000):
        marker = "" if n == 1 else (" Copy" if n == 2 else f" Copy {n - 1}")
        candidate = f"{head}{marker} {sync} {direction.name_part}"[:200]
        if candidate.lower() not in taken:
            return candidate
    raise ActionRefused("This version has too many copies of this mapping.")


def _cloned_rows(rows: list[TemplateMappingRow], *, reverse: bool, origin: str):
    clones, left_out, targets = [], [], set()
    for position, row in enumerate(rows):
        clone = TemplateMappingRow(
            target=row.target,
            kind=row.kind,
            source=row.source,
            formula=row.formula,
            value=row.value,
            table=row.table,
            has_default=row.has_default,
            default=row.default,
            notes=row.notes,
            position=position,
        )
        if reverse:
            _reverse_row(clone, origin)
        if clone.target in targets:
            left_out.append(f"{row.target} ({row.get_kind_display().lower()})")
            continue
        targets.add(clone.target)
        clones.append(clone)
    return clones, left_out


def _reverse_row(row: TemplateMappingRow, origin: str) -> None:
    kind = RowKind(row.kind)
    if kind in (RowKind.FIELD, RowKind.TRANSLATION) and row.source:
        row.target, row.source = row.source, row.target
        if kind is RowKind.TRANSLATION:
            row.notes = _note(row.notes, f"Reversed from {origin}: check that the table translates this way.")
    elif kind in (RowKind.FORMULA, RowKind.STATIC):
        row.notes = _note(row.notes, f"Kept as it was in {origin}: review it for the opposite direction.")


def _note(notes: str, line: str) -> str:
    return (f"{notes}\n{line}" if notes else line)[:2000]


def _reverse_notes(mapping: TemplateMapping, left_out: list[str], *, parent_dropped: bool) -> str:
    lines = [f"Reverse clone of {mapping.name}."]
    if mapping.mapping_filter or mapping.error_filter:
        lines.append("Its mapping and error filters were not copied: they read the other side's fields.")
    if parent_dropped:
        lines.append(f"Its parent {mapping.parent.name} goes the other way: choose this mapping's parent.")
    if left_out:
        lines.append("Rows left out (their swapped target was already mapped): " + ", ".join(left_out) + ".")
    return "\n".join(lines + ([mapping.notes] if mapping.notes else []))


# --- Rows ----------------------------------------------------------------------------------


def _refuse_taken_target(mapping: TemplateMapping, target: str, exclude: TemplateMappingRow | None = None) -> None:
    taken = mapping.rows.filter(target=target)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ActionRefused(f"Another row already maps {target}: edit that row instead.")


def _refuse_foreign_table(integration: Integration, values: dict) -> None:
    if values["table"] is not None and values["table"].integration_id != integration.pk:
        raise ActionRefused("Choose one of this integration's translation tables.")


def add_mapping_row(
    mapping: TemplateMapping, *, acting_user: User, values: RowValues, at_top: bool = False
) -> TemplateMappingRow:
    """A row after the others, or (at_top) before them."""
    fields = values.cleaned()
    with transaction.atomic():
        integration = Integration.objects.lock(mapping.version.integration)
        refuse_if_frozen(mapping.version)
        _refuse_foreign_table(integration, fields)
        _refuse_taken_target(mapping, fields["target"])
        if at_top:
            mapping.rows.update(position=F("position") + 1)  # positions are no part of a row's revision
            position = 0
        else:
            position = (mapping.rows.aggregate(last=Max("position"))["last"] or 0) + 1
        row = TemplateMappingRow.objects.create(mapping=mapping, position=position, **fields)
        touch_mapping(mapping)
        _audit(
            acting_user,
            integration,
            "mapping_row.added",
            row,
            mapping,
            comment=row.get_kind_display(),
            target_label=row.target,
        )
        tiers.recompute(integration, cause=CAUSE_MAPPINGS)
    return row


def update_mapping_row(
    row: TemplateMappingRow, *, acting_user: User, expected_revision: int, values: RowValues
) -> TemplateMappingRow:
    """Save the row only if it still has `expected_revision`; otherwise raise RowConflict."""
    fields = values.cleaned()
    with transaction.atomic():
        integration = Integration.objects.lock(row.mapping.version.integration)
        refuse_if_frozen(row.mapping.version)
        _refuse_foreign_table(integration, fields)
        _refuse_taken_target(row.mapping, fields["target"], exclude=row)
        saved = TemplateMappingRow.objects.filter(pk=row.pk, revision=expected_revision).update(
            **fields, revision=F("revision") + 1, updated_at=timezone.now()
        )
        if not saved:
            raise RowConflict(TemplateMappingRow.objects.select_related("table").filter(pk=row.pk).first())
        touch_mapping(row.mapping)
        _audit(
            acting_user,
            integration,
            "mapping_row.updated",
            row,
            row.mapping,
            comment=f"revision {expected_revision} → {expected_revision + 1}",
            target_label=fields["target"],
        )
        tiers.recompute(integration, cause=CAUSE_MAPPINGS)
    return TemplateMappingRow.objects.select_related("table").get(pk=row.pk)


def delete_mapping_row(row: TemplateMappingRow, *, acting_user: User, expected_revision: int) -> None:
    """Delete the row only if nobody changed it since it was loaded; otherwise raise RowConflict."""
    with transaction.atomic():
        integration = Integration.objects.lock(row.mapping.version.integration)
        refuse_if_frozen(row.mapping.version)
        deleted, _ = TemplateMappingRow.objects.filter(pk=row.pk, revision=expected_revision).delete()
        if not deleted:
            raise RowConflict(TemplateMappingRow.objects.select_related("table").filter(pk=row.pk).first())
        touch_mapping(row.mapping)
        _audit(acting_user, integration, "mapping_row.deleted", row, row.mapping, target_label=row.target)
        tiers.recompute(integration, cause=CAUSE_MAPPINGS)
