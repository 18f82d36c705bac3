"""Expected against actual output of a mapping test, field by field."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class DiffKind(StrEnum):
    MISSING = "missing"  # expected, not in the output
    UNEXPECTED = "unexpected"  # in the output, not expected
    DIFFERENT = "different"


@dataclass(frozen=True)
class FieldDiff:
    path: str
    kind: DiffKind
    expected: Any = None
    actual: Any = None

    def __str__(self) -> str:
        if self.kind is DiffKind.MISSING:
            return f"{self.path}: expected {self.expected!r}, missing from the output"
        if self.kind is DiffKind.UNEXPECTED:
            return f"{self.path}: not expected, the output has {self.actual!r}"
        return f"{self.path}: expected {self.expected!r}, got {self.actual!r}"


def compare(expected: dict, actual: dict) -> list[FieldDiff]:
    """Differences, in the expected record's field order then the unexpected ones.

    Objects are compared field by field (paths such as `Address.City`), lists item by item
    (`Lines[0].Sku`); 1 and 1.0 are equal, true and 1 are not.
    """
    diffs: list[FieldDiff] = []
    _compare(expected, actual, "", diffs)
    return diffs


def _compare(expected: Any, actual: Any, path: str, diffs: list[FieldDiff]) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            child = f"{path}.{key}" if path else str(key)
            if key not in actual:
                diffs.append(FieldDiff(child, DiffKind.MISSING, expected=value))
            else:
                _compare(value, actual[key], child, diffs)
        for key, value in actual.items():
            if key not in expected:
                diffs.append(FieldDiff(f"{path}.{key}" if path else str(key), DiffKind.UNEXPECTED, actual=value))
    elif isinstance(expected, list) and isinstance(actual, list):
        for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
            _compare(want, got, f"{path}[{index}]", diffs)
        for index in range(len(actual), len(expected)):
            diffs.append(FieldDiff(f"{path}[{index}]", DiffKind.MISSING, expected=expected[index]))
        for index in range(len(expected), len(actual)):
            diffs.append(FieldDiff(f"{path}[{index}]", DiffKind.UNEXPECTED, actual=actual[index]))
    elif not _same(expected, actual):
        diffs.append(FieldDiff(path or "(record)", DiffKind.DIFFERENT, expected=expected, actual=actual))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b
