"""The four rules of DOMAIN.md's scoring section, each one query (or one grouped query and one
pass over its rows) over every integration at once: no query and no loop per integration.
Each answers {integration id: DeductionResult} for the integrations it deducts from. The records
a rule counts are selected, on PostgreSQL, by one statement of statements.py that groups them per
integration; elsewhere by the ORM, grouped here; the amounts are decided here from either."""

import datetime

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

from integrations.models import ApplicationVersion, IntegrationVersion, VersionStatus, semver_key
from marketplace.models import DisputeStatus, Review, Subscription
from marketplace.reviews.models import NEGATIVE_STARS
from scoring.engine import statements
from scoring.engine.dates import add_months
from scoring.engine.results import DeductionResult, capped
from scoring.engine.scope import Scope
from scoring.engine.sql import rows as rows_of
from scoring.engine.statements import Grouped
from scoring.models import Rule, ScoringPolicy

SupportsThrough = IntegrationVersion.supported_versions.through


def version_relevance(policy: ScoringPolicy, scope: Scope) -> dict[int, DeductionResult]:
    """-N when the newest published version does not support the application's latest version
    (newest release date, released by the day scored). One query reads every published version
    with whether it supports that latest version; the newest per integration is picked by semantic
    version, which SQL cannot order."""
    latest = ApplicationVersion.objects.filter(
        application=OuterRef("integration__application"), release_date__lte=scope.day
    ).order_by("-release_date", "-id")
    rows = (
        scope.only(IntegrationVersion.objects.filter(status=VersionStatus.PUBLISHED))
        .annotate(latest_id=Subquery(latest.values("id")[:1]))
        .annotate(
            supports=Exists(
                SupportsThrough.objects.filter(
                    integrationversion_id=OuterRef("pk"), applicationversion_id=OuterRef("latest_id")
                )
            )
        )
        .order_by()
        .values_list("integration_id", "number", "latest_id", "supports")
    )
    newest: dict[int, tuple] = {}
    for row in rows:
        if row[0] not in newest or semver_key(row[1]) > semver_key(newest[row[0]][1]):
            newest[row[0]] = row
    fixed = scope.assumed("supports_latest")
    numbers = {"deduction": policy.version_relevance_deduction}
    return {
        integration_id: DeductionResult(
            Rule.VERSION_RELEVANCE,
            policy.version_relevance_deduction,
            {**numbers, "newest_published_version": number},
            [latest_id],
        )
        for integration_id, number, latest_id, supports in newest.values()
        if latest_id is not None and not supports and integration_id not in fixed
    }


def counted_reviews_filter(scope: Scope, response_cutoff: datetime.datetime) -> Q:
    """A review counts once the response window is over when it is still negative and either its
    dispute was rejected, or it has no dispute (a pending one holds it, an accepted one removes
    it) and no answer. A what-if's assumed answers and disputes are just more ids here."""
    moment = scope.moment
    rejected = Q(dispute__status=DisputeStatus.REJECTED, dispute__raised_at__lt=moment)
    undisputed = (Q(dispute__isnull=True) | Q(dispute__raised_at__gte=moment)) & ~Q(pk__in=scope.assumed("disputed"))
    answered = Q(answered_at__lt=moment) | Q(pk__in=scope.assumed("answered"))
    # A review staff took down as abusive (an upheld flag) no longer speaks against the integration.
    shown = Q(hidden_at__isnull=True) | Q(hidden_at__gte=moment)
    return Q(stars__lte=NEGATIVE_STARS, created_at__lt=response_cutoff) & shown & (rejected | (undisputed & ~answered))


def _negative_review_records(scope: Scope, cutoff: datetime.datetime) -> Grouped:
    if connection.vendor == "postgresql":
        return statements.negative_reviews(scope, cutoff, NEGATIVE_STARS)
    rows = rows_of(
        scope.only(Review.objects.filter(counted_reviews_filter(scope, cutoff)))
        .order_by("created_at", "id")
        .values_list("integration_id", "organization_id", "created_at", "id")
    )
    return _group(scope, rows)


def _group(scope: Scope, records) -> Grouped:
    """(integration, organization, when, record id) rows grouped per integration into the ids of
    the records that count and of those a returning customer removed, in the order given."""
    grouped: Grouped = {}
    for integration_id, organization_id, when, found in records:
        causes, realigned = grouped.setdefault(integration_id, ([], []))
        (realigned if scope.realigned(organization_id, integration_id, when) else causes).append(found)
    return grouped


def response_cutoff(policy: ScoringPolicy, scope: Scope) -> datetime.datetime:
    """The window is whole days: a review of day d counts from the run of day d + window on."""
    return scope.moment - datetime.timedelta(days=policy.response_window_days)


def negative_reviews(policy: ScoringPolicy, scope: Scope) -> dict[int, DeductionResult]:
    return negative_reviews_from(policy, _negative_review_records(scope, response_cutoff(policy, scope)))


def negative_reviews_from(policy: ScoringPolicy, records: Grouped) -> dict[int, DeductionResult]:
    """The deductions of the counted reviews found (the engine may find them on two connections)."""
    numbers = {
        "each": policy.negative_review_deduction,
        "cap": policy.negative_review_cap,
        "response_window_days": policy.response_window_days,
    }
    return {
        integration_id: capped(
            policy.negative_review_deduction,
            policy.negative_review_cap,
            causes,
            realigned,
            Rule.NEGATIVE_REVIEWS,
            numbers,
        )
        for integration_id, (causes, realigned) in records.items()
    }


def _subscribers_at(scope: Scope, moment: datetime.datetime) -> dict[int, int]:
    rows = (
        scope.only(Subscription.objects.filter(started_at__lt=moment))
        .filter(Q(cancelled_at__isnull=True) | Q(cancelled_at__gte=moment))
        .order_by()
        .values("integration_id")
        .annotate(count=Count("id"))
        .values_list("integration_id", "count")
    )
    return dict(rows)


def _cancellation_records(scope: Scope, window_start: datetime.datetime) -> Grouped:
    if connection.vendor == "postgresql":
        return statements.cancellations(scope, window_start)
    rows = rows_of(
        scope.only(Subscription.objects.filter(cancelled_at__gte=window_start, cancelled_at__lt=scope.moment))
        .order_by("cancelled_at", "id")
        .values_list("integration_id", "organization_id", "cancelled_at", "id")
    )
    return _group(scope, rows)


def is_excessive(policy: ScoringPolicy, cancellations: int, subscribers: int) -> bool:
    if subscribers < policy.small_subscriber_threshold:
        return cancellations >= policy.small_cancellation_count
    return cancellations * 100 >= policy.cancellation_percent * subscribers


def _window_start(policy: ScoringPolicy, scope: Scope) -> datetime.datetime:
    return scope.moment - datetime.timedelta(days=policy.cancellation_window_days)


def subscribers_at_window_start(policy: ScoringPolicy, scope: Scope) -> dict[int, int]:
    """{integration id: its subscribers when the cancellation window began}: one grouped count."""
    return _subscribers_at(scope, _window_start(policy, scope))


def cancellation_records(policy: ScoringPolicy, scope: Scope) -> Grouped:
    """The window's cancellations, those a returning customer removed apart: one read."""
    return _cancellation_records(scope, _window_start(policy, scope))


def excessive_cancellations(policy: ScoringPolicy, scope: Scope) -> dict[int, DeductionResult]:
    """-N when the cancellations of the last window days are excessive against the subscribers
    the integration had when the window began."""
    return excessive_cancellations_from(
        policy, subscribers_at_window_start(policy, scope), cancellation_records(policy, scope)
    )


def excessive_cancellations_from(
    policy: ScoringPolicy, subscribers: dict[int, int], records: Grouped
) -> dict[int, DeductionResult]:
    """The deductions of the subscribers and cancellations found (the engine may find them on two
    connections)."""
    results = {}
    for integration_id, (counted, returned) in records.items():
        count = subscribers.get(integration_id, 0)
        excessive = is_excessive(policy, len(counted), count)
        if not excessive and not is_excessive(policy, len(counted) + len(returned), count):
            continue
        numbers = {
            "deduction": policy.cancellation_deduction,
            "window_days": policy.cancellation_window_days,
            "subscribers_at_window_start": count,
            "cancellations": len(counted),
            "small_subscriber_threshold": policy.small_subscriber_threshold,
            "small_cancellation_count": policy.small_cancellation_count,
            "percent": policy.cancellation_percent,
        }
        amount = policy.cancellation_deduction if excessive else 0
        results[integration_id] = DeductionResult(
            Rule.EXCESSIVE_CANCELLATIONS, amount, numbers, counted if excessive else [], returned
        )
    return results


def _misrepresentation_records(scope: Scope, window_start: datetime.datetime, low: int, high: int) -> Grouped:
    """SQL narrows by days (a month is 28 to 31 of them); calendar months, which SQL engines add
    differently, are checked on the rows it returns (PostgreSQL's statement adds them itself)."""
    if connection.vendor == "postgresql":
        return statements.misrepresentations(scope, window_start, low, high)
    rows = rows_of(
        scope.only(Subscription.objects.filter(cancelled_at__gte=window_start, cancelled_at__lt=scope.moment))
        .filter(
            cancelled_at__gt=F("started_at") + datetime.timedelta(days=28 * low),
            cancelled_at__lt=F("started_at") + datetime.timedelta(days=31 * high + 1),
        )
        .order_by("cancelled_at", "id")
        .values_list("id", "integration_id", "organization_id", "started_at", "cancelled_at")
    )
    return _group(
        scope,
        (
            (i, o, cancelled, s)
            for s, i, o, started, cancelled in rows
            if add_months(started, low) < cancelled < add_months(started, high)
        ),
    )


def misrepresentation(policy: ScoringPolicy, scope: Scope) -> dict[int, DeductionResult]:
    """-N for each cancellation of the last window months that came more than min and less than
    max months after its subscription began."""
    window_start = add_months(scope.moment, -policy.misrepresentation_window_months)
    low, high = policy.misrepresentation_min_months, policy.misrepresentation_max_months
    numbers = {
        "each": policy.misrepresentation_deduction,
        "cap": policy.misrepresentation_cap,
        "window_months": policy.misrepresentation_window_months,
        "min_months": low,
        "max_months": high,
    }
    return {
        integration_id: capped(
            policy.misrepresentation_deduction,
            policy.misrepresentation_cap,
            causes,
            realigned,
            Rule.MISREPRESENTATION,
            numbers,
        )
        for integration_id, (causes, realigned) in _misrepresentation_records(scope, window_start, low, high).items()
    }


RULES = (version_relevance, negative_reviews, excessive_cancellations, misrepresentation)
