"""Reading and writing dates for parse_date, format_date and add_days.

A strptime format is turned into a regular expression by the standard library, so a format can
fail in ways a date never does (`%Y %Y` defines the same group twice and raises re.error, which
is not a ValueError); those are told apart from text that does not match, and named as problems
of the format.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from .errors import FormulaValueError
from .limits import MAX_DATE_FORMAT_CHARS

MAX_DATE_TEXT_CHARS = 100

# What strptime understands after a %; anything else it refuses as a "bad directive".
_READ_DIRECTIVES = frozenset("aAbBcdfGHIjmMpSUuVwWxXyYzZ%")
_REDEFINED = re.compile(r"redefinition of group name '(\w+)'")


def read(text: str, format: str | None, function: str) -> datetime:
    """The date in `text` (ISO 8601, or in the strptime `format`); without a time zone, UTC."""
    text = text.strip()
    if len(text) > MAX_DATE_TEXT_CHARS:
        raise FormulaValueError(f"{function}() needs a text of at most {MAX_DATE_TEXT_CHARS} characters")
    if format is None:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise FormulaValueError(f"not a date in ISO 8601 such as 2024-05-31: {text[:40]!r}") from None
    else:
        parsed = _read_with(text, checked_format(format, function, _READ_DIRECTIVES), function)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def write(moment: datetime, format: str, function: str) -> str:
    """The date as text in a strftime `format` (directives the platform does not know stay as written)."""
    pattern = checked_format(format, function)
    try:
        return moment.strftime(pattern)
    except UnicodeError:  # a lone surrogate, which "\ud800" in JSON can produce
        raise FormulaValueError(f"{function}(): the format {pattern!r} has a character that is not text") from None
    except ValueError as exc:
        raise FormulaValueError(f"{function}(): the format {pattern!r} cannot be used: {exc}") from None


def add_days(moment: datetime, days: int | float, function: str) -> datetime:
    try:
        return moment + timedelta(days=days)
    except OverflowError:
        raise FormulaValueError(f"{function}(): the date would be out of range (years 1 to 9999)") from None


def checked_format(format: str, function: str, directives: frozenset[str] | None = None) -> str:
    """The format, refused when too long, when it holds a NUL (strftime would stop there
    without a word) or, given the `directives` allowed, when it uses another one."""
    problem = None
    if len(format) > MAX_DATE_FORMAT_CHARS:
        problem = f"it is longer than {MAX_DATE_FORMAT_CHARS} characters"
    elif "\x00" in format:
        problem = "it holds a NUL character"
    elif directives is not None:
        problem = _directive_problem(format, directives)
    if problem:
        shown = format if len(format) <= 40 else format[:37] + "..."
        raise FormulaValueError(f"{function}(): the format {shown!r} cannot be used: {problem}")
    return format


def _directive_problem(format: str, directives: frozenset[str]) -> str | None:
    position = format.find("%")
    while position != -1:
        directive = format[position + 1 : position + 2]
        if not directive:
            return "it ends with a % on its own (write %% for a percent sign)"
        if directive not in directives:
            return f"%{directive} is not a date directive (such as %Y, %m or %d)"
        position = format.find("%", position + 2)
    return None


def _read_with(text: str, format: str, function: str) -> datetime:
    try:
        return datetime.strptime(text, format)  # noqa: DTZ007 - made aware by the caller
    except re.error as exc:
        redefined = _REDEFINED.match(exc.msg)
        problem = f"it reads %{redefined[1]} more than once" if redefined else exc.msg
        if redefined and any(f"%{composite}" in format for composite in "cxX"):
            problem += " (%c, %x and %X each read several parts)"
        raise FormulaValueError(f"{function}(): the format {format!r} cannot be used: {problem}") from None
    except ValueError as exc:
        if "directive" in str(exc):  # "ISO year directive '%G' must be used with ...": the format's fault
            raise FormulaValueError(f"{function}(): the format {format!r} cannot be used: {exc}") from None
        raise FormulaValueError(f"not a date in the format {format!r}: {text[:40]!r}") from None
