"""The scoring engine: every integration's score on a day, computed as sets (rules.py).

    compute(policy, day, integration_ids=None, assume=frozenset()) -> {integration id: Result}

`assume` holds hypothetical fixes for the what-if, scored by the same rules:
("supports_latest", integration id), ("answered", review id), ("disputed", review id)."""

import datetime
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

from integrations.models import Integration
from marketplace.reviews.models import NEGATIVE_STARS
from scoring.engine import statements
from scoring.engine.results import DeductionResult, Result
from scoring.engine.rules import (
    RULES,
    cancellation_records,
    excessive_cancellations,
    excessive_cancellations_from,
    misrepresentation,
    negative_reviews,
    negative_reviews_from,
    response_cutoff,
    subscribers_at_window_start,
    version_relevance,
)
from scoring.engine.scope import Scope, customers_returned
from scoring.engine.sql import export_snapshot, reading, without_parallel_workers
from scoring.engine.statements import Grouped
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
        found = _beside(policy, scope) if beside else _on_this_connection(policy, scope)
        for rule in RULES:
            for integration_id, deduction in found[rule].items():
                if integration_id in results:
                    results[integration_id].deductions.append(deduction)
    for result in results.values():
        result.score = max(policy.floor, policy.start - result.total_deducted)
    return results


def _on_this_connection(policy: ScoringPolicy, scope: Scope) -> dict:
    """{rule: {integration id: DeductionResult}} of every rule, on this connection."""
    if connection.vendor == "postgresql":
        statements.find_customers_returned(scope)  # joined by the rules' statements
    else:
        scope.returned = customers_returned(scope)
    return {rule: rule(policy, scope) for rule in RULES}


# A whole marketplace's computation runs on two connections at once, both reading one snapshot.
# The first reads what needs no returning customer: the negative reviews that count, the
# subscribers when the cancellation window began, and version relevance. The second finds the
# returning customers and reads what needs them (the window's cancellations, misrepresentation,
# which of the counted reviews they removed). Each side takes about as long as the other; on one
# connection a second core idled. Neither starts parallel workers: the two are the cores' work.
def _beside(policy: ScoringPolicy, scope: Scope) -> dict:
    snapshot = export_snapshot()
    without_parallel_workers()
    with ThreadPoolExecutor(max_workers=1) as pool:
        there = pool.submit(_on_second_connection, policy, scope, snapshot)
        counted = statements.counted_reviews(scope, response_cutoff(policy, scope), NEGATIVE_STARS)
        subscribers = subscribers_at_window_start(policy, scope)
        versions = version_relevance(policy, scope)
        misrepresented, cancelled, realigned = there.result()
    return {
        version_relevance: versions,
        negative_reviews: negative_reviews_from(policy, statements.with_realigned(counted, realigned)),
        excessive_cancellations: excessive_cancellations_from(policy, subscribers, cancelled),
        misrepresentation: misrepresented,
    }


def _on_second_connection(policy: ScoringPolicy, scope: Scope, snapshot: str) -> tuple[dict, Grouped, dict]:
    """In the pool's thread, whose connection is its own (Django's are per thread), closed after:
    misrepresentation's deductions, the window's cancellations, and the counted reviews the
    returning customers removed."""
    try:
        with reading(snapshot):
            statements.find_customers_returned(scope)
            return (
                misrepresentation(policy, scope),
                cancellation_records(policy, scope),
                statements.realigned_reviews(scope, response_cutoff(policy, scope), NEGATIVE_STARS),
            )
    finally:
        connection.close()
