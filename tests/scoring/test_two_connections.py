"""A whole marketplace's computation on PostgreSQL runs the rules on two connections at once,
both reading one snapshot: the same results as on one connection, and nothing committed while it
runs is seen by either part."""

import datetime
import threading

import pytest
from django.db import connection, transaction

import scoring.engine
from marketplace.models import Subscription
from scoring.engine import compute, statements
from scoring.models import ScoringPolicy
from tests.concurrency import postgresql_only
from tests.factories import IntegrationFactory
from tests.scoring.world import DAY, application_version, days_before_end, published_version, review, subscription

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


@pytest.fixture
def world():
    """Something against the integrations for every rule, a returning customer among them."""
    behind = IntegrationFactory()
    old = application_version(behind.application, "1.x", DAY - datetime.timedelta(days=300))
    application_version(behind.application, "2.x", DAY - datetime.timedelta(days=3))
    published_version(behind, supports=[old])
    reviewed = IntegrationFactory()
    for days in (30, 40):
        review(reviewed, stars=1, created=days_before_end(days))
    churned = IntegrationFactory()
    rows = [subscription(churned, started=days_before_end(200)) for _ in range(19)]
    Subscription.objects.filter(pk__in=[row.pk for row in rows[:5]]).update(cancelled_at=days_before_end(10))
    subscription(churned, started=days_before_end(5), organization=rows[0].organization)  # came back
    return rows


def _view(results):
    def deduction(d):
        return d.rule, d.amount, d.numbers, list(d.causes), list(d.realigned)

    return {pk: (result.score, [deduction(d) for d in result.deductions]) for pk, result in results.items()}


def _second_connections(monkeypatch) -> list:
    calls, real = [], scoring.engine._on_second_connection
    monkeypatch.setattr(scoring.engine, "_on_second_connection", lambda *args: calls.append(args) or real(*args))
    return calls


def test_two_connections_compute_what_one_does(world, monkeypatch):
    second = _second_connections(monkeypatch)
    policy = ScoringPolicy.current()
    on_two = compute(policy, DAY)
    with transaction.atomic():  # a caller's transaction: everything on this connection
        on_one = compute(policy, DAY)
    assert len(second) == 1
    assert {d.rule for result in on_two.values() for d in result.deductions} == {
        "version_relevance",
        "negative_reviews",
        "excessive_cancellations",
        "misrepresentation",
    }
    assert _view(on_two) == _view(on_one)


def test_a_cancellation_committed_while_it_computes_is_seen_by_neither_connection(world, monkeypatch):
    sixth = world[5]
    real_export = scoring.engine.export_snapshot

    def export_then_cancel():
        snapshot = real_export()

        def cancel():  # another session, committed before the second connection starts reading
            Subscription.objects.filter(pk=sixth.pk).update(cancelled_at=days_before_end(9))
            connection.close()

        thread = threading.Thread(target=cancel)
        thread.start()
        thread.join()
        return snapshot

    monkeypatch.setattr(scoring.engine, "export_snapshot", export_then_cancel)
    policy = ScoringPolicy.current()

    def cancellations(results):
        deduction = next(d for d in results[sixth.integration_id].deductions if d.rule == "excessive_cancellations")
        return deduction.numbers["cancellations"]

    assert cancellations(compute(policy, DAY)) == 4  # five cancelled, one of them came back
    assert cancellations(compute(policy, DAY)) == 5  # the next computation sees the sixth


def test_the_returning_customers_are_found_once_on_the_second_connection(world, monkeypatch):
    """The first connection selects the counted reviews without them; the second finds them and
    which of those reviews they removed."""
    found, real_find = [], statements.find_customers_returned
    monkeypatch.setattr(
        statements,
        "find_customers_returned",
        lambda scope: found.append(threading.current_thread()) or real_find(scope),
    )
    returning = review(world[5].integration, created=days_before_end(30), organization=world[0].organization)
    results = compute(ScoringPolicy.current(), DAY)
    assert len(found) == 1 and found[0] is not threading.main_thread()
    by_rule = {d.rule: d for d in results[world[0].integration_id].deductions}
    assert list(by_rule["negative_reviews"].realigned) == [returning.pk]
    assert list(by_rule["negative_reviews"].causes) == [] and by_rule["negative_reviews"].amount == 0
    assert list(by_rule["misrepresentation"].realigned) == [world[0].pk]


def test_neither_connection_starts_parallel_workers_while_they_compute(world, monkeypatch):
    """The two connections keep both cores busy; workers of either would only queue for a core."""
    settings, real_there, real_here = {}, statements.realigned_reviews, statements.counted_reviews

    def probed(where, real):
        def statement(*args):
            with connection.cursor() as cursor:
                cursor.execute("SHOW max_parallel_workers_per_gather")
                settings[where] = cursor.fetchone()[0]
            return real(*args)

        return statement

    monkeypatch.setattr(statements, "realigned_reviews", probed("there", real_there))  # the second's last
    monkeypatch.setattr(statements, "counted_reviews", probed("here", real_here))  # the first's
    compute(ScoringPolicy.current(), DAY)
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        after = cursor.fetchone()[0]
    assert settings == {"there": "0", "here": "0"} and after != "0"
