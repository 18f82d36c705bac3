"""Running one template mapping over one source record: filters, rows, output record.

The app builds a MappingSpec from its models; run_mapping never raises for anything a formula
or a record does: every failure is in the MappingResult, per row where a row failed, so the
editor can highlight that row.

Order and conventions:
1. The mapping filter (when set) decides whether the record is mapped: truthy keeps it, falsy
   skips it (status "skipped"). A filter that fails counts as failed, not skipped.
2. The error filter (when set) fails the record early: when its value is text that is not
   empty, that text is the message ("Email is missing" if is_empty(Email) else ""); when it
   is any other truthy value, the message is "the error filter matched"; falsy values pass.
3. Every row is then evaluated, even after another row failed, so that all failing rows show
   at once. Targets may be paths (`Address.City`) that build nested objects.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from .engine import Evaluation, prepare
from .errors import FormulaError
from .functions import NO_DEFAULT, translate
from .limits import MAX_OUTPUT_CHARS
from .values import checked_output, get_path, json_chars


class RowKind(StrEnum):
    FIELD = "field"  # field to field: `source` is a path into the record
    FORMULA = "formula"  # dynamic formula: `formula`
    STATIC = "static"  # static value: `value`
    TRANSLATION = "translation"  # `source` translated through the table `table`, else `default`


class Status(StrEnum):
    MAPPED = "mapped"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class MappingRow:
    target: str
    kind: RowKind
    source: str = ""
    formula: str = ""
    value: Any = None
    table: str = ""
    default: str | None = None  # translation only: None means a missing entry is an error


@dataclass(frozen=True)
class MappingSpec:
    rows: tuple[MappingRow, ...] | list[MappingRow] = ()
    mapping_filter: str = ""
    error_filter: str = ""


@dataclass
class FilterOutcome:
    """`passed`: the record went on (kept by the mapping filter, not failed by the error filter)."""

    applied: bool
    passed: bool
    message: str = ""


@dataclass
class RowResult:
    index: int
    target: str
    ok: bool
    value: Any = None
    error: str = ""


@dataclass
class MappingResult:
    status: Status
    output: dict
    mapping_filter: FilterOutcome
    error_filter: FilterOutcome
    rows: list[RowResult] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not Status.FAILED

    def failed_rows(self) -> list[RowResult]:
        return [row for row in self.rows if not row.ok]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> MappingResult:
        return cls(
            status=Status(data["status"]),
            output=data["output"],
            mapping_filter=FilterOutcome(**data["mapping_filter"]),
            error_filter=FilterOutcome(**data["error_filter"]),
            rows=[RowResult(**row) for row in data["rows"]],
            message=data["message"],
        )


def run_mapping(
    mapping: MappingSpec, record: dict, *, parent: dict | None = None, tables: dict[str, dict[str, str]] | None = None
) -> MappingResult:
    """Map one record. Raises ValueError only when the caller passes data that is not plain JSON."""
    evaluation = prepare(record, parent, tables)
    not_applied = FilterOutcome(applied=False, passed=True)
    kept = _mapping_filter(evaluation, mapping.mapping_filter)
    if not kept.passed:
        status = Status.FAILED if kept.message.startswith("the mapping filter failed") else Status.SKIPPED
        return MappingResult(status, {}, kept, not_applied, message=kept.message)
    errored = _error_filter(evaluation, mapping.error_filter)
    if not errored.passed:
        return MappingResult(Status.FAILED, {}, kept, errored, message=errored.message)
    output: dict = {}
    rows = [_run_row(evaluation, index, row, output) for index, row in enumerate(mapping.rows)]
    failed = [row for row in rows if not row.ok]
    message = f"{len(failed)} row{'s' if len(failed) != 1 else ''} failed" if failed else ""
    if not failed and json_chars(output) > MAX_OUTPUT_CHARS:
        output, message = {}, f"the output record is larger than {MAX_OUTPUT_CHARS // 1024} KB as JSON"
        failed = [True]
    return MappingResult(Status.FAILED if failed else Status.MAPPED, output, kept, errored, rows, message)


def _mapping_filter(evaluation: Evaluation, formula: str) -> FilterOutcome:
    if not formula.strip():
        return FilterOutcome(applied=False, passed=True)
    try:
        value = evaluation.run(formula)
    except FormulaError as exc:
        return FilterOutcome(applied=True, passed=False, message=f"the mapping filter failed: {exc.message}")
    if value:
        return FilterOutcome(applied=True, passed=True, message="kept: the mapping filter is true")
    return FilterOutcome(applied=True, passed=False, message="skipped: the mapping filter is false")


def _error_filter(evaluation: Evaluation, formula: str) -> FilterOutcome:
    if not formula.strip():
        return FilterOutcome(applied=False, passed=True)
    try:
        value = evaluation.run(formula)
    except FormulaError as exc:
        return FilterOutcome(applied=True, passed=False, message=f"the error filter failed: {exc.message}")
    if not value or (isinstance(value, str) and not value.strip()):
        return FilterOutcome(applied=True, passed=True)
    message = value.strip()[:500] if isinstance(value, str) else "the error filter matched"
    return FilterOutcome(applied=True, passed=False, message=message)


def _run_row(evaluation: Evaluation, index: int, row: MappingRow, output: dict) -> RowResult:
    try:
        value = checked_output(_row_value(evaluation, row))
        _put(output, row.target, value)
    except FormulaError as exc:
        return RowResult(index, row.target, ok=False, error=exc.message)
    return RowResult(index, row.target, ok=True, value=value)


def _row_value(evaluation: Evaluation, row: MappingRow) -> Any:
    kind = RowKind(row.kind)
    if kind is RowKind.FIELD:
        return get_path(evaluation.record, row.source)
    if kind is RowKind.FORMULA:
        return evaluation.run(row.formula)
    if kind is RowKind.STATIC:
        return row.value
    source = get_path(evaluation.record, row.source, missing=None)
    default = NO_DEFAULT if row.default is None else row.default
    return translate(evaluation.tables, row.table, source, default)


def _put(output: dict, target: str, value: Any) -> None:
    parts = [part.strip() for part in target.split(".")]
    if not all(parts):
        raise FormulaError(f"not a target field: {target!r}")
    place = output
    for part in parts[:-1]:
        place = place.setdefault(part, {})
        if not isinstance(place, dict):
            raise FormulaError(f"{target}: {part} is already set to a value that is not an object")
    if parts[-1] in place:
        raise FormulaError(f"{target} is mapped by more than one row")
    place[parts[-1]] = value


__all__ = [
    "FilterOutcome",
    "MappingResult",
    "MappingRow",
    "MappingSpec",
    "RowKind",
    "RowResult",
    "Status",
    "run_mapping",
]
