"""The function library: every function a formula may call, documented with a runnable example.

FUNCTIONS is what the help page renders and what a test runs example by example. A function
receives evaluated JSON values (and dates) and returns one; `contextual` ones also receive the
evaluation (for the record and the translation tables); `lazy` ones (if, coalesce, is_empty)
are evaluated by the engine itself so that an unused argument is never computed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

from . import dates, regexes
from .errors import FormulaError, FormulaTypeError, FormulaValueError, LimitExceeded, TranslationMissing
from .limits import MAX_STRING_LENGTH
from .values import checked_number, checked_text, get_path, is_number, to_text, type_name

NO_DEFAULT = object()


@dataclass(frozen=True)
class Example:
    """A formula, the input it runs on and the result it gives (a test runs every one)."""

    formula: str
    result: Any
    record: dict = field(default_factory=dict)
    parent: dict | None = None
    tables: dict[str, dict[str, str]] | None = None


@dataclass(frozen=True)
class FunctionDef:
    name: str
    category: str
    signature: str
    description: str
    example: Example
    impl: Callable[..., Any] | None
    min_args: int
    max_args: int | None
    contextual: bool = False
    lazy: bool = False


FUNCTIONS: dict[str, FunctionDef] = {}
# Functions whose result depends on more than their arguments; check_formula does not
# precompute them (and never runs a regular expression in the web process).
IMPURE = {"now", "field", "lookup", "regex_match", "regex_replace"}


def _register(category, signature, description, example, *, min_args, max_args, contextual=False, lazy=False):
    def decorate(impl):
        name = signature.split("(")[0]
        FUNCTIONS[name] = FunctionDef(
            name,
            category,
            signature,
            description,
            example,
            None if lazy else impl,
            min_args,
            max_args,
            contextual,
            lazy,
        )
        return impl

    return decorate


def _text(value: Any, function: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise FormulaTypeError(f"{function}() needs text, not {type_name(value)}: use to_text(x)")


def _number(value: Any, function: str) -> int | float:
    if is_number(value):
        return value
    hint = "use coalesce(x, 0)" if value is None else "use to_number(x)"
    raise FormulaTypeError(f"{function}() needs a number, not {type_name(value)}: {hint}")


def _whole(value: Any, function: str) -> int:
    number = _number(value, function)
    if isinstance(number, float):
        if not number.is_integer():
            raise FormulaValueError(f"{function}() needs a whole number, not {number}")
        number = int(number)
    return number


def _date(value: Any, function: str) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        return dates.read(value, None, function)
    raise FormulaTypeError(f"{function}() needs a date or ISO 8601 text, not {type_name(value)}")


# Text ------------------------------------------------------------------------------------------


@_register(
    "text",
    "concat(value, ...)",
    "Joins values as text; null is empty, numbers are written out.",
    Example('concat("WEB-", SKU, "-", Size)', "WEB-A100-42", {"SKU": "A100", "Size": 42}),
    min_args=1,
    max_args=None,
)
def concat(*values: Any) -> str:
    parts = []
    total = 0
    for value in values:
        part = to_text(value)
        total += len(part)
        if total > MAX_STRING_LENGTH:
            raise LimitExceeded(f"text too long: more than {MAX_STRING_LENGTH:,} characters")
        parts.append(part)
    return "".join(parts)


@_register(
    "text",
    "to_text(value)",
    "The value as text: null is empty, true/false lowercase, objects as JSON.",
    Example('to_text(Qty) + " pcs"', "3 pcs", {"Qty": 3}),
    min_args=1,
    max_args=1,
)
def to_text_(value: Any) -> str:
    return to_text(value)


@_register(
    "text",
    "upper(text)",
    "The text in capitals.",
    Example("upper(Code)", "AB-1", {"Code": "ab-1"}),
    min_args=1,
    max_args=1,
)
def upper(value: Any) -> str:
    return checked_text(_text(value, "upper").upper())


@_register(
    "text",
    "lower(text)",
    "The text in small letters.",
    Example("lower(Email)", "ann@example.com", {"Email": "Ann@Example.com"}),
    min_args=1,
    max_args=1,
)
def lower(value: Any) -> str:
    return checked_text(_text(value, "lower").lower())


@_register(
    "text",
    "trim(text)",
    "The text without spaces at either end.",
    Example("trim(Name)", "Ann Lee", {"Name": "  Ann Lee "}),
    min_args=1,
    max_args=1,
)
def trim(value: Any) -> str:
    return _text(value, "trim").strip()


@_register(
    "text",
    "length(value)",
    "Characters of a text, items of a list or fields of an object.",
    Example("length(Lines)", 2, {"Lines": [{"Sku": "A"}, {"Sku": "B"}]}),
    min_args=1,
    max_args=1,
)
def length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, str | list | dict):
        return len(value)
    raise FormulaTypeError(f"length() needs text, a list or an object, not {type_name(value)}")


@_register(
    "text",
    "substring(text, start, length)",
    "Part of a text: from position `start` (0 is the first character) for `length` characters "
    "(to the end when left out).",
    Example("substring(Phone, 0, 3)", "555", {"Phone": "5551234"}),
    min_args=2,
    max_args=3,
)
def substring(value: Any, start: Any, count: Any = None) -> str:
    text = _text(value, "substring")
    first = _whole(start, "substring")
    if first < 0:
        raise FormulaValueError("substring() needs a start of 0 or more")
    if count is None:
        return text[first:]
    size = _whole(count, "substring")
    if size < 0:
        raise FormulaValueError("substring() needs a length of 0 or more")
    return text[first : first + size]


@_register(
    "text",
    "replace(text, old, new)",
    "The text with every `old` replaced by `new`.",
    Example('replace(Phone, "-", "")', "5551234", {"Phone": "555-1234"}),
    min_args=3,
    max_args=3,
)
def replace(value: Any, old: Any, new: Any) -> str:
    text, old, new = _text(value, "replace"), _text(old, "replace"), _text(new, "replace")
    if not old:
        raise FormulaValueError("replace() needs a non-empty text to replace")
    if len(text) + text.count(old) * max(0, len(new) - len(old)) > MAX_STRING_LENGTH:
        raise LimitExceeded(f"text too long: more than {MAX_STRING_LENGTH:,} characters")
    return text.replace(old, new)


@_register(
    "text",
    "regex_match(text, pattern)",
    "True when the regular expression matches anywhere in the text (patterns are bounded: "
    "no nested quantifiers, no backreferences, at most 200 characters).",
    Example(r'regex_match(Zip, "^\d{5}$")', True, {"Zip": "90210"}),
    min_args=2,
    max_args=2,
)
def regex_match(value: Any, pattern: Any) -> bool:
    compiled = regexes.compiled(_text(pattern, "regex_match"))
    return compiled.search(regexes.checked_subject(_text(value, "regex_match"))) is not None


@_register(
    "text",
    "regex_replace(text, pattern, replacement)",
    "The text with every match of the pattern replaced (\\1 in the replacement is the first group).",
    Example(r'regex_replace(Phone, "[^0-9]", "")', "5551234", {"Phone": "(555) 1234"}),
    min_args=3,
    max_args=3,
)
def regex_replace(value: Any, pattern: Any, replacement: Any) -> str:
    compiled = regexes.compiled(_text(pattern, "regex_replace"))
    text = regexes.checked_subject(_text(value, "regex_replace"))
    new = _text(replacement, "regex_replace")
    if len(new) > 1_000:
        raise LimitExceeded("regex_replace() needs a replacement of at most 1,000 characters")
    return checked_text(regexes.substitute(compiled, new, text, "regex_replace"))


# Numbers ---------------------------------------------------------------------------------------


@_register(
    "numbers",
    "to_number(value)",
    'The number written in a text ("12.50" -> 12.5).',
    Example("to_number(Price) * 2", 25.0, {"Price": "12.50"}),
    min_args=1,
    max_args=1,
)
def to_number(value: Any) -> int | float:
    if is_number(value):
        return value
    if not isinstance(value, str):
        raise FormulaTypeError(f"to_number() needs text, not {type_name(value)}")
    if len(value) > 400:
        raise LimitExceeded(f"to_number() reads a text of at most 400 characters, not {len(value):,}")
    text = value.strip().replace(",", "")
    try:
        number: int | float = int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            raise FormulaValueError(f"not a number: {value[:40]!r}") from None
    if isinstance(number, float) and not math.isfinite(number):
        if math.isinf(number) and not text.lstrip("+-")[:1].isalpha():  # 1e400, not "inf"
            raise LimitExceeded(f"to_number(): {value[:40]!r} is too large a number (at most about 1.8e308)")
        raise FormulaValueError(f"not a number: {value[:40]!r}")
    return checked_number(number)


# Wide enough for the largest number a formula holds (1,024 bits, 309 digits) with 20 decimals:
# the default context's 28 digits refuse round(10**30) and round(123456789.5, 20).
_ROUNDING = Context(prec=400, rounding=ROUND_HALF_UP)


@_register(
    "numbers",
    "round(number, digits)",
    "The number rounded half up to `digits` decimals (0 when left out: a whole number).",
    Example("round(Price * 1.2, 2)", 12.3, {"Price": 10.25}),
    min_args=1,
    max_args=2,
)
def round_(value: Any, digits: Any = 0) -> int | float:
    number = checked_number(_number(value, "round"))
    places = _whole(digits, "round")
    if not -20 <= places <= 20:
        raise FormulaValueError("round() takes between -20 and 20 digits")
    try:
        rounded = Decimal(repr(number)).quantize(Decimal(1).scaleb(-places), context=_ROUNDING)
    except InvalidOperation:
        raise FormulaValueError(f"round() cannot round {number:g} to {places} places") from None
    return int(rounded) if places <= 0 else float(rounded)


@_register(
    "numbers",
    "floor(number)",
    "The largest whole number not above it.",
    Example("floor(Weight)", 2, {"Weight": 2.7}),
    min_args=1,
    max_args=1,
)
def floor(value: Any) -> int:
    return checked_number(math.floor(_number(value, "floor")))


@_register(
    "numbers",
    "ceil(number)",
    "The smallest whole number not below it.",
    Example("ceil(Weight)", 3, {"Weight": 2.1}),
    min_args=1,
    max_args=1,
)
def ceil(value: Any) -> int:
    return checked_number(math.ceil(_number(value, "ceil")))


@_register(
    "numbers",
    "abs(number)",
    "The number without its sign.",
    Example("abs(Delta)", 4, {"Delta": -4}),
    min_args=1,
    max_args=1,
)
def abs_(value: Any) -> int | float:
    return abs(_number(value, "abs"))


def _extreme(name: str, values: tuple, pick: Callable) -> Any:
    items = list(values[0]) if len(values) == 1 and isinstance(values[0], list) else list(values)
    if not items:
        raise FormulaValueError(f"{name}() needs at least one value")
    if all(is_number(v) for v in items) or all(isinstance(v, str) for v in items):
        return pick(items)
    for value in items:
        if not (is_number(value) or isinstance(value, str)):
            hint = ": use coalesce(x, 0)" if value is None else ""
            raise FormulaTypeError(f"{name}() compares numbers or texts, not {type_name(value)}{hint}")
    raise FormulaTypeError(f"{name}() needs all numbers or all text, not a mix")


@_register(
    "numbers",
    "min(value, ...)",
    "The smallest of the values (or of the items of one list).",
    Example("min(Price, 100)", 42, {"Price": 42}),
    min_args=1,
    max_args=None,
)
def min_(*values: Any) -> Any:
    return _extreme("min", values, min)


@_register(
    "numbers",
    "max(value, ...)",
    "The largest of the values (or of the items of one list).",
    Example("max(Qty, 0)", 0, {"Qty": -2}),
    min_args=1,
    max_args=None,
)
def max_(*values: Any) -> Any:
    return _extreme("max", values, max)


# Dates -----------------------------------------------------------------------------------------


@_register(
    "dates",
    "parse_date(text, format)",
    'A date from ISO 8601 text, or from text in a strftime `format` such as "%d/%m/%Y"; '
    "without a time zone, UTC. Written to the output as ISO 8601 text.",
    Example('parse_date(Shipped, "%d/%m/%Y")', "2024-05-31T00:00:00+00:00", {"Shipped": "31/05/2024"}),
    min_args=1,
    max_args=2,
)
def parse_date(value: Any, format: Any = None) -> datetime:
    text = _text(value, "parse_date")
    return dates.read(text, None if format is None else _text(format, "parse_date"), "parse_date")


@_register(
    "dates",
    "format_date(date, format)",
    'A date as text, in a strftime format such as "%Y-%m-%d".',
    Example('format_date(OrderDate, "%d.%m.%Y")', "31.05.2024", {"OrderDate": "2024-05-31T10:00:00Z"}),
    min_args=2,
    max_args=2,
)
def format_date(value: Any, format: Any) -> str:
    return dates.write(_date(value, "format_date"), _text(format, "format_date"), "format_date")


@_register(
    "dates",
    "add_days(date, days)",
    "The date that many days later (earlier when negative).",
    Example('format_date(add_days(OrderDate, 30), "%Y-%m-%d")', "2024-06-30", {"OrderDate": "2024-05-31"}),
    min_args=2,
    max_args=2,
)
def add_days(value: Any, days: Any) -> datetime:
    return dates.add_days(_date(value, "add_days"), _number(days, "add_days"), "add_days")


@_register(
    "dates",
    "now()",
    "The current date and time in UTC.",
    Example('format_date(now(), "%Y") >= "2024"', True),
    min_args=0,
    max_args=0,
)
def now() -> datetime:
    return datetime.now(UTC)


# Logic -----------------------------------------------------------------------------------------


@_register(
    "logic",
    "if(condition, then, otherwise)",
    "`then` when the condition is true, else `otherwise`; only the one chosen is computed.",
    Example('if(Qty > 0, "in stock", "sold out")', "sold out", {"Qty": 0}),
    min_args=3,
    max_args=3,
    lazy=True,
)
def if_() -> None:  # pragma: no cover - evaluated by the engine
    raise NotImplementedError


@_register(
    "logic",
    "coalesce(value, ...)",
    'The first value that is not empty (null, "" or missing); null when all are.',
    Example('coalesce(Nickname, FirstName, "Customer")', "Ann", {"Nickname": "", "FirstName": "Ann"}),
    min_args=1,
    max_args=None,
    lazy=True,
)
def coalesce() -> None:  # pragma: no cover - evaluated by the engine
    raise NotImplementedError


@_register(
    "logic",
    "is_empty(value)",
    "True for null, empty text (spaces count as empty), an empty list or object, or a missing field.",
    Example("is_empty(Email)", True, {"Email": "  "}),
    min_args=1,
    max_args=1,
    lazy=True,
)
def is_empty_() -> None:  # pragma: no cover - evaluated by the engine
    raise NotImplementedError


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        return not value
    return False


# Lookups ---------------------------------------------------------------------------------------


@_register(
    "lookups",
    "lookup(table, value, default)",
    "The translation of `value` in the translation table named `table` (in quotes); `default` when "
    "it has none (an error when no default is given).",
    Example(
        'lookup("Countries", Country, "Other")',
        "United States",
        {"Country": "US"},
        tables={"Countries": {"US": "United States", "DE": "Germany"}},
    ),
    min_args=2,
    max_args=3,
    contextual=True,
)
def lookup(evaluation: Any, table: Any, value: Any, default: Any = NO_DEFAULT) -> Any:
    return translate(evaluation.tables, table, value, default)


@_register(
    "lookups",
    "field(path)",
    'The value at a path such as "Address.City" or "Lines[0].Sku", or null when the record '
    'does not have it; also reaches fields whose names are not plain words ("First Name").',
    Example('field("Address.City")', "Paris", {"Address": {"City": "Paris"}}),
    min_args=1,
    max_args=1,
    contextual=True,
)
def field_(evaluation: Any, path: Any) -> Any:
    return get_path(evaluation.record, _text(path, "field"), missing=None)


def translate(tables: dict[str, dict[str, str]], table: Any, value: Any, default: Any = NO_DEFAULT) -> Any:
    """Shared by lookup() and the translation rows of a mapping."""
    if not isinstance(table, str):
        raise FormulaTypeError("lookup() needs the table's name in quotes")
    if table not in tables:
        raise FormulaError(f"there is no translation table named {table!r}")
    key = to_text(value)
    if key in tables[table]:
        return tables[table][key]
    if default is NO_DEFAULT:
        raise TranslationMissing(f"the translation table {table!r} has no entry for {key[:80]!r}")
    return default


__all__ = ["FUNCTIONS", "IMPURE", "NO_DEFAULT", "Example", "FunctionDef", "is_empty", "translate"]
