"""Sample records and translation tables as the integrator types them: parsed with limits,
refused with a message that says what is wrong and where."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from .limits import MAX_SAMPLE_BYTES, MAX_SAMPLE_DEPTH, MAX_TABLE_ROWS


class InputError(ValueError):
    """Sample JSON or a translation table that cannot be used; the message is for the integrator."""


def _refuse_constant(name: str) -> Any:
    raise InputError(f"{name} is not valid JSON: write numbers as digits, or null")


def _whole_number(digits: str) -> int:
    # Python refuses to read longer integers (a guard against quadratic-time conversion) with a
    # plain ValueError; say so here rather than let it pass for malformed JSON or a crash.
    limit = sys.get_int_max_str_digits()
    count = len(digits.lstrip("-"))
    if limit and count > limit:
        raise InputError(f"the sample has a number too long to read: {count:,} digits (at most {limit:,})")
    return int(digits)


def _decimal_number(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e400 reads as infinity, which no JSON document can hold
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise InputError(f"the sample has a number too large to use: {shown} (at most about 1.8e308)")
    return number


def load_sample(text: str | bytes) -> dict:
    """A sample record: a JSON object of at most 1 MB, nested at most 32 levels."""
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_SAMPLE_BYTES:
        raise InputError(
            f"the sample is {size:,} bytes; at most {MAX_SAMPLE_BYTES:,} ({MAX_SAMPLE_BYTES // 1024**2} MB)"
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"the sample is not UTF-8 text (byte {exc.start})") from None
    depth = _depth(text)
    if depth > MAX_SAMPLE_DEPTH:
        raise InputError(f"the sample is nested {depth} levels deep; at most {MAX_SAMPLE_DEPTH}")
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_int=_whole_number, parse_float=_decimal_number)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict):
        kind = {list: "a list", str: "a text", bool: "true/false", type(None): "null"}.get(type(data), "a number")
        raise InputError(f"the sample must be a JSON object ({{...}}), not {kind}")
    return data


def _depth(text: str) -> int:
    """Deepest nesting of [ and { outside strings, counted without parsing (so without recursion)."""
    deepest = depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def parse_table(rows: list[tuple[str, str]]) -> dict[str, str]:
    """A translation table from (from, to) rows; duplicate or empty keys are refused by name."""
    if len(rows) > MAX_TABLE_ROWS:
        raise InputError(f"the translation table has {len(rows):,} rows; at most {MAX_TABLE_ROWS:,}")
    table: dict[str, str] = {}
    duplicates: list[str] = []
    for number, (key, value) in enumerate(rows, start=1):
        if not isinstance(key, str) or not isinstance(value, str):
            raise InputError(f"row {number}: a translation maps text to text")
        if not key.strip():
            raise InputError(f"row {number}: the value to translate is empty")
        if key in table and key not in duplicates:
            duplicates.append(key)
        table[key] = value
    if duplicates:
        shown = ", ".join(repr(key) for key in duplicates[:10])
        more = f" and {len(duplicates) - 10} more" if len(duplicates) > 10 else ""
        raise InputError(f"the translation table has duplicate values to translate: {shown}{more}")
    return table
