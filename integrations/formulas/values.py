"""The values formulas work on: plain JSON data, plus dates while a formula runs.

No Python object other than these ever reaches a formula: records are copied through JSON
(which also refuses model instances, modules and functions), and paths are followed by dict
and list indexing only, never getattr.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from typing import Any

from .errors import FormulaError, FormulaTypeError, LimitExceeded, UnknownName
from .limits import MAX_INT_BITS, MAX_STRING_LENGTH, MAX_VALUE_CHARS

_PATH_PART = re.compile(r"\[(-?\d+)\]|([^.\[\]]+)")


def type_name(value: Any) -> str:
    """The word the integrator sees for a value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime | date):
        return "date"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return "value"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def checked_number(value: int | float) -> int | float:
    """Refuse integers too large and floats that are not finite, whatever produced them."""
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise LimitExceeded(f"number too large: more than {MAX_INT_BITS} bits (about 300 digits)")
    if isinstance(value, float) and not math.isfinite(value):
        raise LimitExceeded("number too large: the result is not a finite number")
    return value


def checked_text(value: str) -> str:
    if len(value) > MAX_STRING_LENGTH:
        raise LimitExceeded(f"text too long: more than {MAX_STRING_LENGTH:,} characters")
    return value


def to_text(value: Any) -> str:
    """Text for any value: null is empty, true/false are lowercase, objects are JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(checked_number(value))
    return checked_text(json.dumps(to_json(value), ensure_ascii=False))


def to_json(value: Any) -> Any:
    """The JSON form of a formula's result: dates become ISO 8601 text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


def json_chars(value: Any) -> int:
    """Length of the value as compact JSON text."""
    if value is None or isinstance(value, bool | int | float):
        return 8
    if isinstance(value, str) and len(value) * 6 + 2 <= MAX_VALUE_CHARS:
        return len(value) + 2  # cannot exceed the cap even with every character escaped
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def checked_output(value: Any) -> Any:
    """The JSON form of a result bound for an output record, refused when too large."""
    value = to_json(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise LimitExceeded("the result is not a finite number")
    if json_chars(value) > MAX_VALUE_CHARS:
        raise LimitExceeded(f"the result is too large: more than {MAX_VALUE_CHARS // 1024} KB as JSON")
    return value


def copy_json(data: Any, what: str) -> Any:
    """A deep copy of plain JSON data; anything else is a programming error of the caller."""
    try:
        return json.loads(json.dumps(data, allow_nan=False))
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValueError(f"{what} must be plain JSON data: {exc}") from None


def parse_path(path: str) -> list[str | int]:
    """`Address.City` -> ["Address", "City"]; `Lines[0].Sku` -> ["Lines", 0, "Sku"]."""
    parts: list[str | int] = []
    position = 0
    text = path.strip()
    shown = path if len(path) <= 60 else path[:57] + "..."
    while position < len(text):
        if parts and text[position] == ".":
            position += 1
        match = _PATH_PART.match(text, position)
        if not match:
            raise FormulaError(f"not a field path: {shown!r} (write Address.City or Lines[0].Sku)")
        index = match.group(1)
        if index is not None and len(index.lstrip("-")) > 18:  # no list is that long; int() refuses 4,301 digits
            raise FormulaError(f"not a field path: {shown!r} (an index has more than 18 digits)")
        parts.append(int(index) if index is not None else match.group(2).strip())
        position = match.end()
    if not parts:
        raise FormulaError("empty field path")
    return parts


def step(container: Any, key: Any, shown: str) -> Any:
    """One step into a dict (by text key) or a list (by whole number); `shown` names the path so far."""
    if isinstance(container, dict):
        if not isinstance(key, str):
            raise FormulaTypeError(f"{shown} is an object: use a field name in quotes, not a {type_name(key)}")
        if key not in container:
            raise UnknownName(f"{shown} has no field {key!r}")
        return container[key]
    if isinstance(container, list | str):
        if not is_number(key) or not isinstance(key, int):
            raise FormulaTypeError(f"{shown} is a {type_name(container)}: index it with a whole number")
        if not -len(container) <= key < len(container):
            raise UnknownName(f"{shown} has no item {key} (it has {len(container)})")
        return container[key]
    if container is None:
        raise UnknownName(f"{shown} is null: it has no {key!r}")
    raise FormulaTypeError(f"{shown} is a {type_name(container)}: it has no fields")


def get_path(record: dict, path: str | list[str | int], *, missing: Any = UnknownName) -> Any:
    """Follow a path into a record. When `missing` is given, return it where the path ends early."""
    parts = parse_path(path) if isinstance(path, str) else path
    value: Any = record
    shown = "the record"
    for index, part in enumerate(parts):
        try:
            value = step(value, part, shown)
        except (UnknownName, FormulaTypeError):
            if missing is UnknownName:
                raise
            return missing
        shown = _join(shown if index else "", part)
    return value


def _join(shown: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{shown}[{part}]"
    return f"{shown}.{part}" if shown else part
