"""Regular expressions with bounded patterns.

Python's `re` has no timeout and backtracks, so a pattern such as `(a+)+$` takes exponential
time on "aaaa...!". Patterns are therefore parsed (with the standard library's own parser) and
refused before they run when they are longer than MAX_PATTERN_CHARS, nest a variable-length
quantifier inside another quantifier (`(a+)+`, `(a*)*`, `(\\w+\\s?)*`), or use backreferences
(`(a)\\1`, `(?(1)a|b)`), which no linear-time engine supports either. The text a pattern runs
over is capped at MAX_REGEX_SUBJECT_CHARS.

Not every slow pattern has one of these shapes (overlapping alternatives such as `(a|aa)*$`
are exponential too, and `a*a*a*b` is polynomial), so previews and test runs also evaluate in a
child process with a wall-clock and CPU limit (isolation.py): such a pattern is stopped there
and reported as a runaway formula.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import FormulaValueError, PatternRefused
from .limits import MAX_PATTERN_CHARS, MAX_REGEX_SUBJECT_CHARS

try:  # Python 3.11+: the parser `re` itself uses; sre_parse is its deprecated alias.
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
_BACKREFERENCES = {_c.GROUPREF, _c.GROUPREF_EXISTS, getattr(_c, "GROUPREF_IGNORE", None)}


def pattern_problem(pattern: str) -> str | None:
    """Why a pattern is refused, or None when it may run."""
    if not isinstance(pattern, str):
        return "a regular expression must be text"
    if len(pattern) > MAX_PATTERN_CHARS:
        return f"the regular expression is longer than {MAX_PATTERN_CHARS} characters"
    try:
        parsed = _p.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"not a valid regular expression: {exc}"
    return _walk(parsed, inside_repeat=False)


@lru_cache(maxsize=256)
def compiled(pattern: str) -> re.Pattern:
    problem = pattern_problem(pattern)
    if problem:
        raise PatternRefused(problem)
    return re.compile(pattern)


def substitute(compiled: re.Pattern, replacement: str, text: str, function: str) -> str:
    """Every match in `text` replaced; a replacement that cannot be used is the formula's error.

    The replacement is parsed before any match: an unknown group raises re.error (not a
    ValueError) or, for a name, IndexError.
    """
    try:
        return compiled.sub(replacement, text)
    except re.error as exc:
        reference = _GROUP_REFERENCE.match(exc.msg)
        if reference:
            problem = _missing_group(reference[1], compiled)
        elif exc.msg.startswith("bad escape (end of pattern)"):
            problem = "it ends with a backslash that escapes nothing"
        else:
            problem = f"{exc.msg} at character {exc.pos + 1}" if exc.pos is not None else exc.msg
    except IndexError as exc:
        name = _GROUP_NAME.match(str(exc))
        problem = _missing_group(name[1], compiled) if name else str(exc)
    raise FormulaValueError(f"{function}(): the replacement {replacement[:40]!r} cannot be used: {problem}")


_GROUP_REFERENCE = re.compile(r"invalid group reference (\d+)")
_GROUP_NAME = re.compile(r"unknown group name '(.*)'")


def _missing_group(group: str, compiled: re.Pattern) -> str:
    if not group.isdigit():
        named = f" (it has {', '.join(compiled.groupindex)})" if compiled.groupindex else ""
        return f"it refers to a group named {group}, which the pattern does not have{named}"
    if not compiled.groups:
        return f"it refers to group {group}, but the pattern has no groups (parts in parentheses)"
    return f"it refers to group {group}, but the pattern has only {compiled.groups}"


def checked_subject(text: str) -> str:
    if len(text) > MAX_REGEX_SUBJECT_CHARS:
        raise PatternRefused(
            f"text too long for a regular expression: more than {MAX_REGEX_SUBJECT_CHARS:,} characters"
        )
    return text


def _walk(items, *, inside_repeat: bool) -> str | None:
    for op, argument in items:
        if op in _BACKREFERENCES:
            return "backreferences such as \\1 are not allowed in a regular expression"
        if op in _REPEATS:
            low, high, sub = argument
            if inside_repeat and low != high:
                return (
                    "nested quantifiers such as (a+)+ are not allowed: they can take exponential time; "
                    "write the pattern with a single quantifier"
                )
            problem = _walk(sub, inside_repeat=inside_repeat or high > 1)
        else:
            problem = None
            for sub in _children(op, argument):
                problem = problem or _walk(sub, inside_repeat=inside_repeat)
        if problem:
            return problem
    return None


def _children(op, argument) -> list:
    """The sub-patterns of one parsed item, whatever its shape."""
    if op is _c.SUBPATTERN:
        return [argument[-1]]
    if op is _c.BRANCH:
        return list(argument[1])
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [argument[1]]
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return [argument]
    if op is getattr(_c, "POSSESSIVE_REPEAT", None):
        return [argument[2]]
    return []
