"""What a template mapping must be, beyond each formula's own syntax, checked when it is saved.

Its parent template mapping: a child collection's mapping (a customer's addresses) may name as
parent the mapping of its parent collection in the same version and the same direction; a
top-level collection's mapping has none. The forms check this to show the message next to the
field, and the actions check it again under their lock.

The names it reads: From iPaaS the source record is the iPaaS.com record of the mapping's
collection, so formulas, filters and sources may only read that collection's fields (and
`Parent`, the parent record, in formulas). A parent record does not carry its children: each
child record is mapped by its own collection's mapping, with the parent record as `Parent`, as
the preview and the mapping tests feed them, so child collection names are not fields.
To iPaaS the source is the third party's record, whose fields the portal does not know: any
name is accepted there; the targets are the collection's fields, which the editor compares.

A static value must fit its target field's type, when the type is known (the data model's, or
the OpenAPI definition's): "maybe" is not true or false, "12,50" not a decimal number.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from integrations.formulas import FormulaError, ProblemCode, check_formula
from integrations.formulas.syntax import PARENT, suggest
from integrations.formulas.values import parse_path
from integrations.models import Direction, IntegrationVersion, MappingCollection, TemplateMapping
from portal.services import ActionRefused


class ParentRefused(ActionRefused):
    """The parent template mapping does not fit; `field` is the form field the message belongs to
    (None: the whole form)."""

    def __init__(self, message: str, field: str | None = "parent"):
        super().__init__(message)
        self.field = field


# --- The parent template mapping -----------------------------------------------------------


def parent_problem(
    version: IntegrationVersion,
    collection: MappingCollection,
    direction: str,
    parent: TemplateMapping | None,
    mapping: TemplateMapping | None = None,
) -> str:
    """Why `parent` cannot be the parent of a mapping of this collection and direction in this
    version ("" when it can, or when there is no parent). `mapping` is the mapping being edited."""
    if parent is None:
        return ""
    direction_label = Direction(direction).label
    if mapping is not None and parent.pk == mapping.pk:
        return "A template mapping cannot be its own parent."
    if collection.parent_id is None:
        return f"{collection.name} is not a child collection: its template mapping has no parent."
    parent_name = collection.parent.name
    expected = f"{_a(collection.name)} mapping's parent must be {_a(parent_name, 'a')} mapping {direction_label}."
    if parent.version_id != version.pk or parent.collection_id != collection.parent_id:
        return expected
    if parent.direction != direction:
        return expected
    if mapping is not None and _is_ancestor(mapping, parent):
        return f"{parent.name} is a child of {mapping.name}: a template mapping cannot be its own ancestor."
    return ""


def _a(name: str, article: str = "A") -> str:
    """The name after its indefinite article: "A Customer", "an Employee"."""
    return f"{article}{'n' if name[:1].upper() in 'AEIOU' else ''} {name}"


def _is_ancestor(mapping: TemplateMapping, parent: TemplateMapping) -> bool:
    """Whether `mapping` is `parent` or above it. Collections form a tree, so only a data model
    edited into a loop could make this true; the walk stops at any loop."""
    seen = set()
    current_id = parent.pk
    while current_id is not None and current_id not in seen:
        if current_id == mapping.pk:
            return True
        seen.add(current_id)
        current_id = TemplateMapping.objects.filter(pk=current_id).values_list("parent_id", flat=True).first()
    return False


def refuse_bad_parent(
    version: IntegrationVersion,
    collection: MappingCollection,
    direction: str,
    parent: TemplateMapping | None,
    mapping: TemplateMapping | None = None,
) -> None:
    """parent_problem as ParentRefused, reading the parent as it is now (call it under the lock)."""
    if parent is not None:
        parent = TemplateMapping.objects.filter(pk=parent.pk).first()
        if parent is None:
            raise ParentRefused("The parent template mapping was deleted in the meantime: choose another.")
    problem = parent_problem(version, collection, direction, parent, mapping)
    if problem:
        raise ParentRefused(problem)


def children_problem(mapping: TemplateMapping, collection: MappingCollection, direction: str) -> str:
    """Why the mapping cannot move to this collection or direction: the children that name it as
    their parent would no longer fit ("" when none would)."""
    if mapping.pk is None or (collection.pk == mapping.collection_id and direction == mapping.direction):
        return ""
    children = list(mapping.children.order_by("name").values_list("name", flat=True))
    if not children:
        return ""
    return (
        f"{', '.join(children)} name{'s' if len(children) == 1 else ''} this mapping as parent: "
        "its collection and direction stay while they do (change their parent first)."
    )


def parent_choices(version: IntegrationVersion, mapping: TemplateMapping | None = None):
    """The mappings of this version that could be a parent: those of a collection with children
    (and the mapping's current parent, so that a wrong one is named rather than unknown)."""
    mappings = version.template_mappings.select_related("collection")
    candidates = mappings.filter(collection__children__isnull=False)
    if mapping is not None and mapping.pk:
        candidates = candidates.exclude(pk=mapping.pk)
        if mapping.parent_id:
            candidates = candidates | mappings.filter(pk=mapping.parent_id)
    return candidates.distinct().order_by("name")


# --- The names a mapping reads -------------------------------------------------------------


@dataclass(frozen=True)
class SourceRecord:
    """The record a From iPaaS mapping reads: the iPaaS.com record of its collection."""

    collection_name: str
    names: tuple[str, ...]

    def described(self) -> str:
        return f"The iPaaS {self.collection_name} record has: {', '.join(self.names) or 'no fields'}."

    def unknown(self, name: str) -> str:
        close = suggest(name, self.names)
        hint = f": did you mean {close}?" if close else ""
        return f"unknown field {name}{hint} {self.described()}"


def source_record(collection: MappingCollection | None, direction: str | None) -> SourceRecord | None:
    """The source record whose fields are known (From iPaaS), else None: To iPaaS the source is
    the third party's record, whose fields the portal does not know, so any name is accepted."""
    if collection is None or direction != Direction.FROM_IPAAS:
        return None
    names = tuple(collection.fields.order_by("position", "name").values_list("name", flat=True))
    return SourceRecord(collection.name, names)


def formula_problems(text: str, table_names: Iterable[str], record: SourceRecord | None = None) -> str:
    """check_formula's problems as one message for the field ("" when the formula can be saved);
    with `record`, names that are not its fields are refused and its fields listed."""
    if not text.strip():
        return ""
    field_names = set(record.names) if record is not None else None
    problems = check_formula(text, field_names=field_names, table_names=set(table_names))
    message = "; ".join(str(problem) for problem in problems)
    unknown_field = any(p.code is ProblemCode.UNKNOWN_NAME and p.message.startswith("unknown field") for p in problems)
    if record is not None and unknown_field:
        message = f"{message}. {record.described()}"
    return message


def source_problem(source: str, record: SourceRecord | None) -> str:
    """Why a field-to-field or translation source cannot be read ("" when it can). Only the first
    segment of a path is checked: what lies below a field is not described by the data model."""
    try:
        first = parse_path(source)[0]
    except FormulaError as error:
        return error.message
    if record is None:
        return ""
    if first == PARENT:
        return f"A source reads the record's own fields: to read the parent record, use a dynamic formula ({source})."
    if first not in record.names:
        return record.unknown(str(first))
    return ""


def target_note(mapping: TemplateMapping, target: str, field_names: Iterable[str] | None = None) -> str:
    """To iPaaS, a note when the row's target is not a field of the collection: not refused (an
    extension field or a path may be meant), but shown so that a typo is noticed. `field_names`:
    the collection's, when the caller has read them (else one query)."""
    if mapping.direction != Direction.TO_IPAAS:
        return ""
    if field_names is None:
        field_names = mapping.collection.fields.values_list("name", flat=True)
    names = list(field_names)
    first = target.split(".")[0].strip()
    if first in names:
        return ""
    close = suggest(first, names)
    hint = f" (did you mean {close}?)" if close else ""
    return f"{first} is not a field of {mapping.collection.name}{hint}."


# --- A static value and its target field's type --------------------------------------------

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_OPENAPI_KINDS = {"integer": "integer", "number": "decimal", "boolean": "boolean"}
_OPENAPI_STRING_FORMATS = {"date": "date", "date-time": "datetime", "email": "email", "uri": "url", "url": "url"}
_HINTS = {
    "boolean": "true or false",
    "integer": "a whole number such as 42",
    "decimal": "a number such as 19.99, with a point before the decimals",
    "date": "a date written as 2026-11-29",
    "datetime": "a date and time written as 2026-11-29T14:30:00Z",
    "email": "an email address such as ada@example.com",
    "url": "a full URL such as https://example.com/",
}


def value_kind(field_type: str) -> str | None:
    """What a field's type asks of a value: a FieldType value of the data model, or the OpenAPI
    label of a definition's field ("integer (int64)", "string (date-time)"); None: any text."""
    if field_type in _HINTS:
        return field_type
    base, _, detail = field_type.partition(" (")
    if base == "string":
        return _OPENAPI_STRING_FORMATS.get(detail.rstrip(")"))
    return _OPENAPI_KINDS.get(base)


def _fits(kind: str, value: str) -> bool:
    if kind == "boolean":
        return value.lower() in ("true", "false")
    if kind == "integer":
        return bool(_INTEGER.match(value))
    if kind == "decimal":
        return bool(_DECIMAL.match(value))
    try:
        if kind == "date":
            return bool(_DATE.match(value)) and bool(datetime.date.fromisoformat(value))
        if kind == "datetime":
            return bool(_DATETIME.match(value)) and bool(datetime.datetime.fromisoformat(value))
        (validate_email if kind == "email" else URLValidator())(value)
    except (ValueError, ValidationError):
        return False
    return True


def static_value_problem(target: str, value: str, field_type: str | None, type_label: str = "") -> str:
    """Why `value` cannot be the static value of a target field of this type ("" when it can; an
    empty value sends nothing, and a target of unknown type takes any text)."""
    kind = value_kind(field_type) if field_type else None
    value = value.strip()
    if kind is None or not value or _fits(kind, value):
        return ""
    shown = value if len(value) <= 40 else value[:40] + "…"
    return f"{target} is {type_label or field_type}: write {_HINTS[kind]}, not “{shown}”."
