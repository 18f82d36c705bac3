"""Each rule of the scoring section at its edges, scored by the engine."""

import datetime

import pytest

from marketplace.models import DisputeStatus
from scoring.engine import compute
from scoring.models import ScoringPolicy
from scoring.policy.services import publish_policy
from tests.factories import IntegrationFactory
from tests.scoring.world import (
    DAY,
    END,
    application_version,
    customer,
    days_before_end,
    published_version,
    review,
    subscription,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration():
    return IntegrationFactory()


def scored(integration, **kwargs):
    return compute(ScoringPolicy.current(), DAY, **kwargs)[integration.pk]


def amounts(result) -> dict[str, int]:
    return {d.rule: d.amount for d in result.deductions}


def test_an_integration_with_nothing_against_it_keeps_the_start(integration):
    assert scored(integration).score == 100
    assert scored(integration).deductions == []


def test_it_deducts_when_the_newest_published_version_misses_the_latest_application_version(integration):
    old = application_version(integration.application, "2.4.x", DAY - datetime.timedelta(days=300))
    latest = application_version(integration.application, "2.5.x", DAY - datetime.timedelta(days=3))
    published_version(integration, "1.9.0", supports=[old, latest])
    published_version(integration, "1.10.0", supports=[old])  # newest by semantic version
    result = scored(integration)
    assert amounts(result) == {"version_relevance": 20}
    assert result.deductions[0].causes == [latest.pk]


def test_supporting_the_latest_version_or_a_version_released_later_costs_nothing(integration):
    latest = application_version(integration.application, "2.5.x", DAY)
    application_version(integration.application, "3.0.x", DAY + datetime.timedelta(days=1))  # not yet released
    published_version(integration, supports=[latest])
    assert scored(integration).score == 100


def test_what_if_supporting_the_latest_version_removes_the_deduction(integration):
    application_version(integration.application, "2.5.x", DAY)
    published_version(integration)
    assert scored(integration).score == 80
    assert scored(integration, assume=frozenset({("supports_latest", integration.pk)})).score == 100


@pytest.mark.parametrize(("days", "deducted"), [(14, False), (15, True)])
def test_a_negative_review_counts_from_the_fifteenth_day(integration, days, deducted):
    # Written on day 1 of the window, scored on day `days`.
    review(integration, created=days_before_end(days) + datetime.timedelta(hours=1))
    assert scored(integration).score == (95 if deducted else 100)


def test_a_review_of_three_stars_is_not_negative(integration):
    review(integration, stars=3, created=days_before_end(40))
    assert scored(integration).score == 100


@pytest.mark.parametrize(
    ("dispute", "expected"), [(DisputeStatus.PENDING, 100), (DisputeStatus.ACCEPTED, 100), (DisputeStatus.REJECTED, 95)]
)
def test_a_pending_dispute_holds_an_accepted_one_removes_a_rejected_one_counts(integration, dispute, expected):
    review(integration, created=days_before_end(30), dispute=dispute, answered=days_before_end(29))
    assert scored(integration).score == expected


def test_an_answered_review_does_not_count(integration):
    review(integration, created=days_before_end(30), answered=days_before_end(20))
    assert scored(integration).score == 100


def test_a_review_staff_took_down_as_abusive_does_not_count(integration):
    taken_down = review(integration, created=days_before_end(30))
    assert scored(integration).score == 95
    taken_down.hidden_at = days_before_end(10)
    taken_down.save(update_fields=["hidden_at"])
    assert scored(integration).score == 100


def test_what_if_answering_or_disputing_removes_the_review(integration):
    counted = review(integration, created=days_before_end(30))
    assert scored(integration).score == 95
    assert scored(integration, assume=frozenset({("answered", counted.pk)})).score == 100
    assert scored(integration, assume=frozenset({("disputed", counted.pk)})).score == 100


def test_negative_reviews_stop_at_the_cap(integration):
    for _ in range(7):
        review(integration, created=days_before_end(30))
    result = scored(integration)
    assert amounts(result) == {"negative_reviews": 30}
    assert len(result.deductions[0].causes) == 7


def subscribers(integration, count, *, started_days=200):
    return [subscription(integration, started=days_before_end(started_days)) for _ in range(count)]


def cancel(rows, days_ago):
    for row in rows:
        row.cancelled_at = days_before_end(days_ago)
        row.save()


@pytest.mark.parametrize(("cancellations", "deducted"), [(4, False), (5, True)])
def test_with_19_subscribers_five_cancellations_are_excessive(integration, cancellations, deducted):
    rows = subscribers(integration, 19)
    cancel(rows[:cancellations], 10)
    assert amounts(scored(integration)).get("excessive_cancellations", 0) == (15 if deducted else 0)


@pytest.mark.parametrize(("cancellations", "deducted"), [(2, False), (3, True)])
def test_with_20_subscribers_fifteen_percent_is_excessive(integration, cancellations, deducted):
    rows = subscribers(integration, 20)
    cancel(rows[:cancellations], 10)  # 3 of 20 is 15%
    assert amounts(scored(integration)).get("excessive_cancellations", 0) == (15 if deducted else 0)


def test_cancellations_before_the_window_do_not_count(integration):
    rows = subscribers(integration, 6, started_days=300)
    cancel(rows, 91)
    assert "excessive_cancellations" not in amounts(scored(integration))


@pytest.mark.parametrize(
    ("months_after", "counted"),
    [(1, False), (1.1, True), (6.9, True), (7, False)],
)
def test_a_cancellation_after_one_and_before_seven_months_is_misrepresentation(integration, months_after, counted):
    started = datetime.datetime(2025, 10, 10, 12, tzinfo=datetime.UTC)
    whole = int(months_after)
    cancelled = started.replace(year=2025 + (9 + whole) // 12, month=(9 + whole) % 12 + 1)
    if months_after != whole:
        cancelled += datetime.timedelta(days=3)
    subscription(integration, started=started, cancelled=cancelled)
    assert amounts(scored(integration)).get("misrepresentation", 0) == (5 if counted else 0)


def test_misrepresentation_stops_at_the_cap_and_only_looks_back_twelve_months(integration):
    for _ in range(6):
        start = days_before_end(100)
        subscription(integration, started=start, cancelled=start + datetime.timedelta(days=50))
    old = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    subscription(integration, started=old, cancelled=old + datetime.timedelta(days=60))  # 17 months ago
    result = scored(integration)
    assert amounts(result)["misrepresentation"] == 25
    assert len(result.deductions[-1].causes) == 6


def test_the_score_never_goes_below_the_floor(integration):
    publish_policy({"version_relevance_deduction": 90}, acting_user=None)
    application_version(integration.application, "2.5.x", DAY)
    published_version(integration)
    for _ in range(3):
        review(integration, created=days_before_end(30))
    assert scored(integration).score == 0


def test_a_returning_customer_removes_its_earlier_reviews_and_cancellations(integration):
    who = customer()
    first = subscription(integration, organization=who, started=days_before_end(120), cancelled=days_before_end(60))
    earlier = review(integration, organization=who, created=days_before_end(70))
    subscription(integration, organization=who, started=days_before_end(20))
    result = scored(integration)
    assert result.score == 100
    by_rule = {d.rule: d for d in result.deductions}
    assert by_rule["negative_reviews"].amount == 0
    assert list(by_rule["negative_reviews"].realigned) == [earlier.pk]
    assert list(by_rule["misrepresentation"].realigned) == [first.pk]


def test_a_review_written_after_coming_back_still_counts(integration):
    who = customer()
    subscription(integration, organization=who, started=days_before_end(120), cancelled=days_before_end(100))
    subscription(integration, organization=who, started=days_before_end(90))
    review(integration, organization=who, created=days_before_end(30))
    assert scored(integration).score == 95


def test_only_what_happened_by_the_end_of_the_day_counts(integration):
    review(integration, created=END - datetime.timedelta(days=15))
    review(integration, created=END + datetime.timedelta(hours=1))
    assert scored(integration).score == 95


def test_scoring_some_integrations_scores_only_those():
    one, other = IntegrationFactory(), IntegrationFactory()
    application_version(other.application, "2.5.x", DAY)
    published_version(other)
    results = compute(ScoringPolicy.current(), DAY, integration_ids=[other.pk])
    assert list(results) == [other.pk]
    assert results[other.pk].score == 80
    assert one.pk not in results


def test_an_unknown_what_if_fix_is_refused():
    with pytest.raises(ValueError, match="Unknown what-if"):
        compute(ScoringPolicy.current(), DAY, assume=frozenset({("bribed", 1)}))
