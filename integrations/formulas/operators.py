"""The operators of the formula language, typed and bounded.

simpleeval's defaults defer to Python (`"%s" % x`, `[1] * 3`, `1 << 9999`); these accept only
numbers, text and dates, refuse oversized results before computing them, and say what to write
instead when the types do not fit (`"WEB" + 12` -> use concat or to_text).
"""

from __future__ import annotations

import ast
from datetime import datetime
from typing import Any

from .errors import DivisionByZero, FormulaTypeError, FormulaValueError, LimitExceeded
from .limits import MAX_POWER, MAX_POWER_BASE, MAX_STRING_LENGTH
from .values import checked_number, is_number, type_name

_JOIN_HINT = "use concat(a, b) or to_text(x) to join as text, to_number(x) to compute with numbers"
_NULL_HINT = 'use coalesce(x, 0) or coalesce(x, "") to give an empty field a value'


def _numbers(a: Any, b: Any, verb: str) -> None:
    if is_number(a) and is_number(b):
        return
    hint = _NULL_HINT if a is None or b is None else _JOIN_HINT
    raise FormulaTypeError(f"cannot {verb} {type_name(a)} and {type_name(b)}: {hint}")


def add(a: Any, b: Any) -> Any:
    if isinstance(a, str) and isinstance(b, str):
        if len(a) + len(b) > MAX_STRING_LENGTH:
            raise LimitExceeded(f"text too long: more than {MAX_STRING_LENGTH:,} characters")
        return a + b
    _numbers(a, b, "add")
    return checked_number(a + b)


def sub(a: Any, b: Any) -> Any:
    _numbers(a, b, "subtract")
    return checked_number(a - b)


def mul(a: Any, b: Any) -> Any:
    if isinstance(a, str) and isinstance(b, int) and not isinstance(b, bool):
        a, b = b, a
    if isinstance(b, str) and isinstance(a, int) and not isinstance(a, bool):
        if a * len(b) > MAX_STRING_LENGTH:
            raise LimitExceeded(f"text too long: repeating it would pass {MAX_STRING_LENGTH:,} characters")
        return b * a
    _numbers(a, b, "multiply")
    return checked_number(a * b)


def truediv(a: Any, b: Any) -> Any:
    _numbers(a, b, "divide")
    if b == 0:
        raise DivisionByZero("division by zero")
    return checked_number(a / b)


def floordiv(a: Any, b: Any) -> Any:
    _numbers(a, b, "divide")
    if b == 0:
        raise DivisionByZero("division by zero")
    return checked_number(a // b)


def mod(a: Any, b: Any) -> Any:
    _numbers(a, b, "take the remainder of")
    if b == 0:
        raise DivisionByZero("division by zero (in %)")
    return checked_number(a % b)


def power(a: Any, b: Any) -> Any:
    _numbers(a, b, "raise")
    if abs(b) > MAX_POWER:
        raise LimitExceeded(f"exponent too large: {b} (at most {MAX_POWER})")
    if abs(a) > MAX_POWER_BASE:
        raise LimitExceeded(f"number too large to raise to a power: at most {MAX_POWER_BASE:,}")
    if a == 0 and b < 0:
        raise DivisionByZero("division by zero (0 to a negative power)")
    result = a**b
    if isinstance(result, complex):
        raise FormulaValueError("a negative number to a fractional power has no real result")
    return checked_number(result)


def neg(a: Any) -> Any:
    if not is_number(a):
        raise FormulaTypeError(f"cannot negate {type_name(a)}: only numbers have a sign")
    return -a


def pos(a: Any) -> Any:
    if not is_number(a):
        raise FormulaTypeError(f"cannot use + on {type_name(a)} alone")
    return a


def _ordered(verb: str):
    compare = {"<": lambda x, y: x < y, "<=": lambda x, y: x <= y, ">": lambda x, y: x > y, ">=": lambda x, y: x >= y}[
        verb
    ]

    def ordered(a: Any, b: Any) -> bool:
        if (
            (is_number(a) and is_number(b))
            or (isinstance(a, str) and isinstance(b, str))
            or (isinstance(a, datetime) and isinstance(b, datetime))
        ):
            return compare(a, b)
        raise FormulaTypeError(
            f"cannot compare {type_name(a)} {verb} {type_name(b)}: compare numbers with numbers, text with text, "
            "dates with dates (to_number, to_text and parse_date convert)"
        )

    return ordered


def contains(item: Any, container: Any) -> bool:
    if isinstance(container, str):
        if not isinstance(item, str):
            raise FormulaTypeError(f"cannot look for {type_name(item)} in text: use to_text(x)")
        return item in container
    if isinstance(container, list):
        return item in container
    if isinstance(container, dict):
        return isinstance(item, str) and item in container
    raise FormulaTypeError(f"cannot look inside {type_name(container)}: `in` works on text, lists and objects")


OPERATORS = {
    ast.Add: add,
    ast.Sub: sub,
    ast.Mult: mul,
    ast.Div: truediv,
    ast.FloorDiv: floordiv,
    ast.Mod: mod,
    ast.Pow: power,
    ast.USub: neg,
    ast.UAdd: pos,
    ast.Not: lambda a: not a,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: _ordered("<"),
    ast.LtE: _ordered("<="),
    ast.Gt: _ordered(">"),
    ast.GtE: _ordered(">="),
    ast.In: contains,
    ast.NotIn: lambda a, b: not contains(a, b),
}
