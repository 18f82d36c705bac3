"""What the engine answers: per integration, the score and each rule's deduction with the records
that caused it."""

from dataclasses import dataclass, field


def cause(kind: str, id_: int, label: str) -> dict:
    return {"kind": kind, "id": id_, "label": label}


@dataclass
class DeductionResult:
    rule: str
    amount: int
    numbers: dict
    causes: list[dict] = field(default_factory=list)
    # Causes a returning customer removed ("returned after evaluating alternatives").
    realigned: list[dict] = field(default_factory=list)


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
