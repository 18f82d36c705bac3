"""The scoring engine: every integration's score on a day, computed as sets (rules.py).

    compute(policy, day, integration_ids=None, assume=frozenset()) -> {integration id: Result}

`assume` holds hypothetical fixes for the what-if, scored by the same rules:
("supports_latest", integration id), ("answered", review id), ("disputed", review id)."""

import datetime
from collections.abc import Iterable

from django.db import connection

from integrations.models import Integration
from scoring.engine import statements
from scoring.engine.results import DeductionResult, Result
from scoring.engine.rules import RULES
from scoring.engine.scope import Scope, customers_returned
from scoring.engine.sql import reading
from scoring.models import ScoringPolicy

FIXES = frozenset({"supports_latest", "answered", "disputed"})

__all__ = ["FIXES", "DeductionResult", "Result", "compute"]


def compute(
    policy: ScoringPolicy,
    day: datetime.date,
    integration_ids: Iterable[int] | None = None,
    assume: frozenset = frozenset(),
) -> dict[int, Result]:
    unknown = {kind for kind, _ in assume} - FIXES
    if unknown:
        raise ValueError(f"Unknown what-if fixes: {sorted(unknown)}")
    ids = None if integration_ids is None else frozenset(integration_ids)
    scope = Scope(day=day, integration_ids=ids, assume=frozenset(assume))
    with reading():
        if connection.vendor == "postgresql":
            statements.find_customers_returned(scope)  # joined by the rules' statements
        else:
            scope.returned = customers_returned(scope)
        everyone = Integration.objects.order_by("pk").values_list("pk", flat=True)
        results = {pk: Result(pk, policy.start) for pk in (everyone if ids is None else everyone.filter(pk__in=ids))}
        for rule in RULES:
            for integration_id, deduction in rule(policy, scope).items():
                if integration_id in results:
                    results[integration_id].deductions.append(deduction)
    for result in results.values():
        result.score = max(policy.floor, policy.start - result.total_deducted)
    return results
