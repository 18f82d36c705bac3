"""What the engine reports: problems found when a formula is checked, errors raised when run."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ProblemCode(StrEnum):
    SYNTAX = "syntax"
    TOO_LONG = "too_long"
    TOO_DEEP = "too_deep"
    DISALLOWED = "disallowed"
    UNKNOWN_NAME = "unknown_name"
    UNKNOWN_FUNCTION = "unknown_function"
    ARGUMENTS = "arguments"
    UNKNOWN_TABLE = "unknown_table"
    PATTERN = "pattern"
    CONSTANT = "constant"


@dataclass(frozen=True)
class FormulaProblem:
    """One reason a formula cannot be saved. `line` and `column` are 1-based, when known."""

    code: ProblemCode
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.column is None:
            return self.message
        return f"{self.message} (line {self.line}, column {self.column})"


class FormulaError(Exception):
    """Every failure a formula can cause while it runs; the message is for the integrator."""

    # Messages may quote values from a record (an exponent, a text): they are cut to this length
    # so that a page or a stored test result never carries a huge one.
    MAX_MESSAGE = 500

    def __init__(self, message: str) -> None:
        if len(message) > self.MAX_MESSAGE:
            message = message[: self.MAX_MESSAGE - 1] + "…"
        super().__init__(message)
        self.message = message


class FormulaRefused(FormulaError):
    """The formula did not pass check_formula(); `problems` says why."""

    def __init__(self, problems: list[FormulaProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class UnknownName(FormulaError):
    """A name or a path that the record (or the parent record) does not have."""


class FormulaTypeError(FormulaError):
    """An operation or a function was given a value of the wrong type."""


class FormulaValueError(FormulaError):
    """A value of the right type that cannot be used: text that is not a number or a date."""


class DivisionByZero(FormulaError):
    pass


class LimitExceeded(FormulaError):
    """A result too large: a number, a text, a value or a whole output record."""


class PatternRefused(FormulaError):
    """A regular expression that could take exponential time, or too long."""


class TranslationMissing(FormulaError):
    """A value that a translation table does not hold, with no default given."""
