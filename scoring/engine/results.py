"""What the engine answers: per integration, the score and each rule's deduction with the records
that caused it: their ids (Deduction.cause_kind says which kind of record a rule's causes are)."""

import functools
import json
from collections import UserList
from dataclasses import dataclass, field
from functools import cached_property


class CausesText(UserList):
    """Causes as a statement listed them, JSON text, read as a list the first time they are read.
    A run writes the text as it came: parsing 200,000 causes and dumping them again for the
    snapshot took longer than selecting them."""

    def __init__(self, text: str, length: int):  # no super().__init__: `data` is parsed on demand
        self.text, self._length = text, length

    @cached_property
    def data(self) -> list[int]:
        return json.loads(self.text)

    def __len__(self) -> int:
        return len(self.data) if "data" in self.__dict__ else self._length


def as_json(value) -> str:
    """The JSON of a deduction's numbers (a dict) or of its causes or realigned records (ids);
    causes still as they came, unchanged."""
    if type(value) is dict:
        return _numbers_json(tuple(value.items()))
    if isinstance(value, CausesText):
        if "data" not in value.__dict__:
            return value.text
        value = value.data
    # Ids joined: json.dumps of a run's 20,000 short lists, nearly all empty, took 30 ms.
    return "[" + ",".join(map(str, map(int, value))) + "]"


@functools.lru_cache(maxsize=4096)
def _numbers_json(items: tuple) -> str:
    """A run's deductions repeat a few hundred sets of numbers (its policy's, with a count): each
    written once instead of 10,000 times."""
    return json.dumps(dict(items))


@dataclass
class DeductionResult:
    rule: str
    amount: int
    numbers: dict
    causes: list[int] = field(default_factory=list)
    # Causes a returning customer removed ("returned after evaluating alternatives").
    realigned: list[int] = field(default_factory=list)


@dataclass
class Result:
    integration_id: int
    score: int
    deductions: list[DeductionResult] = field(default_factory=list)

    @property
    def total_deducted(self) -> int:
        return sum(deduction.amount for deduction in self.deductions)


def capped(
    policy_each: int, cap: int, causes: list, realigned: list, rule: str, numbers: dict
) -> DeductionResult | None:
    """A per-record deduction (each, at most cap); kept at 0 when only realigned records remain."""
    if not causes and not realigned:
        return None
    amount = min(policy_each * len(causes), cap)
    return DeductionResult(rule, amount, {**numbers, "count": len(causes)}, causes, realigned)
