"""From the models to the formula library: a template mapping as a MappingSpec and an
integration's translation tables as plain dicts, each in one query, for the editor's preview and
the mapping test runner (which evaluate them with integrations.formulas.run_mappings_isolated)."""

from collections.abc import Iterable

from integrations.formulas import MappingRow, MappingSpec, RowKind
from integrations.models import Integration, TemplateMapping, TemplateMappingRow


def row_spec(row: TemplateMappingRow) -> MappingRow:
    """One model row as the library's MappingRow; reads row.table, so select_related("table")."""
    kind = RowKind(row.kind)
    if kind is RowKind.FIELD:
        return MappingRow(target=row.target, kind=kind, source=row.source)
    if kind is RowKind.FORMULA:
        return MappingRow(target=row.target, kind=kind, formula=row.formula)
    if kind is RowKind.STATIC:
        return MappingRow(target=row.target, kind=kind, value=row.value)
    return MappingRow(
        target=row.target,
        kind=kind,
        source=row.source,
        table=row.table.name if row.table is not None else "",
        default=row.default if row.has_default else None,
    )


def mapping_rows(mapping: TemplateMapping) -> list[TemplateMappingRow]:
    """The mapping's rows in position order with their tables, in one query."""
    return list(mapping.rows.select_related("table").order_by("position", "id"))


def spec_for(mapping: TemplateMapping, rows: Iterable[TemplateMappingRow] | None = None) -> MappingSpec:
    """The mapping as the library runs it: `rows` when the caller already loaded them (in
    position order, with select_related("table")), else one query for them."""
    rows = mapping_rows(mapping) if rows is None else rows
    return MappingSpec(
        rows=tuple(row_spec(row) for row in rows),
        mapping_filter=mapping.mapping_filter,
        error_filter=mapping.error_filter,
    )


def tables_for(integration: Integration) -> dict[str, dict[str, str]]:
    """The integration's translation tables by name, in one query."""
    pairs = integration.translation_tables.values_list("name", "entries")
    return {name: {key: value for key, value in entries} for name, entries in pairs}
