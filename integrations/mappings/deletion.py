"""Deleting translation tables and template mappings, and what their confirmation pages show.

A translation table that a row uses (rows protect it: on_delete=PROTECT), or that a formula names
in lookup(), is not deleted: the refusal names each mapping and row that still uses it. Deleting a
template mapping takes its rows, its mapping tests and their results with it; its children keep
existing without a parent (on_delete=SET_NULL), which counts as a change to each of them.

Both actions lock the integration row first, as every mapping action does, so they see every
row written before them and none is added meanwhile; a second request for something already
deleted changes nothing and records nothing. Each records an audit row and recomputes the tiers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone

from integrations.mappings.services import CAUSE_MAPPINGS, MappingConflict
from integrations.mappings.table_uses import table_in_use_message, translation_table_uses
from integrations.models import (
    Integration,
    MappingTestResult,
    TemplateMapping,
    TranslationTable,
)
from integrations.tiers import engine as tiers
from integrations.workspace.freeze import refuse_if_declarations_frozen, refuse_if_frozen
from portal.models import User
from portal.services import ActionRefused, record

DELETE_CONFLICT = (
    "This template mapping changed since you opened this page (it or one of its rows was saved): "
    "check what goes with it again before deleting it."
)


# --- Translation tables --------------------------------------------------------------------


def delete_translation_table(table: TranslationTable, *, acting_user: User | None) -> bool:
    """Delete a table nothing uses; ActionRefused names what still does. False when it was
    already deleted (nothing is done twice)."""
    with transaction.atomic():
        integration = Integration.objects.lock(table.integration)
        refuse_if_declarations_frozen(integration)
        table = TranslationTable.objects.filter(pk=table.pk).first()
        if table is None:
            return False
        uses = translation_table_uses(table)
        if uses:
            raise ActionRefused(table_in_use_message(table, uses))
        record(
            actor=acting_user,
            kind="translation_table.deleted",
            organization=integration.owner,
            target=table,
            within=integration,
            from_state=f"{len(table.entries)} entries",
        )
        try:
            table.delete()
        except ProtectedError:  # a row written without the actions, which lock the integration first
            raise ActionRefused(f"Rows still use the translation table {table.name}: reload the page.") from None
        tiers.recompute(integration, cause=CAUSE_MAPPINGS)
    return True


# --- Template mappings ---------------------------------------------------------------------


@dataclass(frozen=True)
class MappingDeletion:
    """What goes with a template mapping when it is deleted, and the children it leaves."""

    rows: int
    tests: int
    results: int
    children: list[TemplateMapping]

    def __str__(self) -> str:
        gone = f"{_count(self.rows, 'row')}, {_count(self.tests, 'mapping test')}, {_count(self.results, 'result')}"
        if not self.children:
            return gone
        return f"{gone}; kept without a parent: {', '.join(child.name for child in self.children)}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def what_goes_with(mapping: TemplateMapping) -> MappingDeletion:
    """Four queries."""
    return MappingDeletion(
        rows=mapping.rows.count(),
        tests=mapping.tests.count(),
        results=MappingTestResult.objects.filter(test__mapping=mapping).count(),
        children=list(mapping.children.order_by("name")),
    )


def delete_template_mapping(
    mapping: TemplateMapping, *, acting_user: User | None, expected_revision: int
) -> MappingDeletion | None:
    """Delete the mapping with its rows, tests and results, if it still has the revision the
    confirmation page showed (else MappingConflict); its children lose their parent. None when
    it was already deleted."""
    with transaction.atomic():
        integration = Integration.objects.lock(mapping.version.integration)
        refuse_if_frozen(mapping.version)
        current = TemplateMapping.objects.select_for_update(of=("self",)).filter(pk=mapping.pk).first()
        if current is None:
            return None
        if current.revision != expected_revision:
            raise MappingConflict(current, DELETE_CONFLICT)
        gone = what_goes_with(current)
        # Losing the parent is a change to each child: it counts in their revisions.
        current.children.update(parent=None, revision=F("revision") + 1, updated_at=timezone.now())
        record(
            actor=acting_user,
            kind="template_mapping.deleted",
            organization=integration.owner,
            target=current,
            within=current.version,
            from_state=f"revision {current.revision}",
            comment=str(gone),
        )
        current.delete()
        tiers.recompute(integration, cause=CAUSE_MAPPINGS)
    return gone
