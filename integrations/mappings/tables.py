"""Translation tables: values of one system and what they are in the other. Saving one checks
its entries (no duplicate values to translate), keeps its name while rows or formulas use it by
name (integrations.mappings.table_uses), and counts a change of entries as a change to every template
mapping that uses it, so their mapping tests run again; for that reason the entries of a table
that a frozen version (under certification review, or certified) uses stay as they are. Like
every mapping action it locks the integration row, records an audit row and recomputes the
tiers; `loaded_version` is its optimistic lock against two people editing one table."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from integrations.formulas import InputError, parse_table
from integrations.mappings.services import CAUSE_MAPPINGS, touch_mappings
from integrations.mappings.table_uses import rename_refused_message, translation_table_uses
from integrations.models import Integration, TemplateMapping, TranslationTable
from integrations.tiers import engine as tiers
from integrations.workspace.freeze import frozen_reasons, refuse_if_declarations_frozen
from portal.models import User
from portal.services import ActionRefused, record


def table_entries(rows: list[tuple[str, str]]) -> list[list[str]]:
    """A translation table's entries, refused (ActionRefused) with parse_table's message."""
    try:
        parse_table(rows)
    except InputError as exc:
        raise ActionRefused(str(exc)[:1].upper() + str(exc)[1:] + ".") from None
    return [[key, value] for key, value in rows]


class TableConflict(ActionRefused):
    """The table was saved by someone else after the form was loaded; `current` is how it is now."""

    def __init__(self, current: TranslationTable):
        super().__init__(
            "Someone else saved this translation table while you were editing it. Theirs now reads: "
            + ("; ".join(f"{key} = {value}" for key, value in current.entries[:20]) or "no entries")
            + (f" (and {len(current.entries) - 20} more)" if len(current.entries) > 20 else "")
            + ". Yours is kept below: save again to put yours over theirs."
        )
        self.current = current


def table_version(table: TranslationTable) -> str:
    return table.updated_at.isoformat()


def _refuse_if_used_by_frozen_versions(table: TranslationTable, uses) -> None:
    """A certified (or reviewed) version's template mappings translate with the table as it was:
    other entries would change what that version does and make its mapping tests stale."""
    versions = {use.mapping.version.pk: use.mapping.version for use in uses}
    reasons = frozen_reasons(versions.values())
    if reasons:
        raise ActionRefused(
            f"{' '.join(reasons.values())} Its template mappings use the translation table {table.name}, "
            "so its entries stay as they are. Make a new translation table for the newer version's rows "
            "and formulas instead."
        )


def save_translation_table(
    integration: Integration,
    *,
    acting_user: User,
    table: TranslationTable | None,
    name: str,
    rows: list[tuple[str, str]],
    notes: str = "",
    loaded_version: str = "",
) -> TranslationTable:
    """Create (table=None) or replace a translation table; duplicate values to translate are refused.
    `loaded_version` (table_version() when the form was loaded) is the optimistic lock: a table
    saved since then is a TableConflict."""
    entries = table_entries(rows)
    name = " ".join(name.split())
    with transaction.atomic():
        integration = Integration.objects.lock(integration)
        refuse_if_declarations_frozen(integration)
        if table is not None:
            table = TranslationTable.objects.get(pk=table.pk)  # as it is now, under the integration's lock
            if loaded_version and loaded_version != table_version(table):
                raise TableConflict(table)
        others = integration.translation_tables.filter(name__iexact=name)
        if table is not None:
            others = others.exclude(pk=table.pk)
        if others.exists():
            raise ActionRefused(f"This integration already has a translation table named “{name}”.")
        uses = translation_table_uses(table) if table is not None else []
        if uses and table.name != name:
            raise ActionRefused(rename_refused_message(table, uses))
        entries_changed = table is not None and table.entries != entries
        if entries_changed:
            _refuse_if_used_by_frozen_versions(table, uses)
        table = table or TranslationTable(integration=integration)
        table.name, table.entries, table.notes, table.updated_at = name, entries, notes, timezone.now()
        table.save()
        if entries_changed:
            # Other translations change what the mappings give: their tests must run again.
            touch_mappings(TemplateMapping.objects.filter(pk__in={use.mapping.pk for use in uses}))
        record(
            actor=acting_user,
            kind="translation_table.saved",
            organization=integration.owner,
            target=table,
            within=integration,
            comment=f"{len(entries)} entries",
        )
        tiers.recompute(integration, cause=CAUSE_MAPPINGS)
    return table
