"""The scoring engine: every integration's score on a day, computed as sets (rules.py).

    compute(policy, day, integration_ids=None, assume=frozenset()) -> {integration id: Result}

`assume` holds hypothetical fixes for the what-if, scored by the same rules:
("supports_latest", integration id), ("answered", review id), ("disputed", review id)."""

import datetime
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from django.db import connection

from integrations.models import Integration
from scoring.engine import statements
from scoring.engine.results import DeductionResult, Result
from scoring.engine.rules import RULES, excessive_cancellations, misrepresentation, version_relevance
from scoring.engine.scope import Scope, customers_returned
from scoring.engine.sql import export_snapshot, reading
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
    # A second connection sees only what is committed: inside a caller's transaction (a test's,
    # a request's) everything is read on this one.
    beside = ids is None and connection.vendor == "postgresql" and not connection.in_atomic_block
    with reading():
        everyone = Integration.objects.order_by("pk").values_list("pk", flat=True)
        results = {pk: Result(pk, policy.start) for pk in (everyone if ids is None else everyone.filter(pk__in=ids))}
        found = _beside(policy, scope) if beside else _found(policy, scope, RULES)
        for rule in RULES:
            for integration_id, deduction in found[rule].items():
                if integration_id in results:
                    results[integration_id].deductions.append(deduction)
    for result in results.values():
        result.score = max(policy.floor, policy.start - result.total_deducted)
    return results


def _found(policy: ScoringPolicy, scope: Scope, rules: Iterable) -> dict:
    """{rule: {integration id: DeductionResult}} of these rules, on this connection."""
    if connection.vendor == "postgresql":
        statements.find_customers_returned(scope)  # joined by the rules' statements
    else:
        scope.returned = customers_returned(scope)
    return {rule: rule(policy, scope) for rule in rules}


# The rules a whole marketplace's computation runs on a second connection at once, both reading
# one snapshot: the negative reviews' statement takes about as long as these three together,
# and a second core idled while either ran. The first connection finds the returning customers
# and hands them to the second, which reads the versions and the subscribers meanwhile: finding
# them on both took a fifth of either's time.
BESIDE = (version_relevance, excessive_cancellations, misrepresentation)


def _beside(policy: ScoringPolicy, scope: Scope) -> dict:
    snapshot = export_snapshot()
    returned: Future = Future()
    there_scope = replace(scope, before_joining_returned=lambda: statements.copy_customers_returned(returned.result()))
    with ThreadPoolExecutor(max_workers=1) as pool:
        there = pool.submit(_on_second_connection, policy, there_scope, snapshot)
        try:
            returned.set_result(statements.find_customers_returned(scope, share=True))
        except BaseException as error:
            returned.set_exception(error)  # the second connection stops waiting for them
            raise
        found = {rule: rule(policy, scope) for rule in RULES if rule not in BESIDE}
        return {**found, **there.result()}


def _on_second_connection(policy: ScoringPolicy, scope: Scope, snapshot: str) -> dict:
    """In the pool's thread, whose connection is its own (Django's are per thread), closed after."""
    try:
        with reading(snapshot):
            return {rule: rule(policy, scope) for rule in BESIDE}
    finally:
        connection.close()
