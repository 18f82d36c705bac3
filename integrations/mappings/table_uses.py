"""Where a translation table is used: translation rows that read it, and formulas (of rows and
of mapping and error filters) that name it in lookup("Table", ...). Deleting a table is refused
while it is used, renaming it too, and changing its entries changes every mapping that uses it."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from django.db.models import Q

from integrations.formulas import RowKind
from integrations.formulas.syntax import parse
from integrations.models import TemplateMapping, TemplateMappingRow, TranslationTable

NAMED = 10  # a message names this many uses, then says how many more


@dataclass(frozen=True)
class TableUse:
    mapping: TemplateMapping  # with its version
    where: str  # "row Country", "formula of row Id", "mapping filter"

    def __str__(self) -> str:
        return f"{self.mapping.name} ({self.mapping.version.number}): {self.where}"


def tables_named_in(text: str) -> set[str]:
    """The translation tables a formula names in lookup("Table", ...)."""
    parsed = parse(text) if text and text.strip() else None
    if parsed is None or parsed.tree is None:
        return set()
    return {
        node.args[0].value
        for node in ast.walk(parsed.tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "lookup"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def translation_table_uses(table: TranslationTable) -> list[TableUse]:
    """Every translation row with the table, and every formula (of a row or a filter) that names
    it, in the integration's template mappings of all versions; two queries."""
    name = table.name
    rows = (
        TemplateMappingRow.objects.filter(mapping__version__integration_id=table.integration_id)
        .filter(Q(table=table) | Q(kind=RowKind.FORMULA, formula__contains=name))
        .select_related("mapping__version")
        .order_by("mapping__version__created_at", "mapping__name", "position", "pk")
    )
    uses = []
    for row in rows:
        if row.table_id == table.pk:
            uses.append(TableUse(row.mapping, f"row {row.target}"))
        elif name in tables_named_in(row.formula):
            uses.append(TableUse(row.mapping, f"formula of row {row.target}"))
    mappings = (
        TemplateMapping.objects.filter(version__integration_id=table.integration_id)
        .filter(Q(mapping_filter__contains=name) | Q(error_filter__contains=name))
        .select_related("version")
        .order_by("version__created_at", "name")
    )
    for mapping in mappings:
        for where, text in (("mapping filter", mapping.mapping_filter), ("error filter", mapping.error_filter)):
            if name in tables_named_in(text):
                uses.append(TableUse(mapping, where))
    return uses


def describe_uses(uses: list[TableUse]) -> str:
    named = "; ".join(str(use) for use in uses[:NAMED])
    return named + (f"; and {len(uses) - NAMED} more" if len(uses) > NAMED else "")


def table_in_use_message(table: TranslationTable, uses: list[TableUse]) -> str:
    return (
        f"The translation table {table.name} is still used by {describe_uses(uses)}. "
        "Change those rows and formulas to use another table (or delete them) first."
    )


def rename_refused_message(table: TranslationTable, uses: list[TableUse]) -> str:
    return (
        f"{table.name} keeps its name while rows and formulas use it by name: {describe_uses(uses)}. "
        "To rename it, make a table with the new name and move them to it first."
    )
