"""The scoring rules again, written the plainest way: one integration at a time, in Python, from
its own rows. The engine (scoring/engine) computes the same thing as sets; test_generated.py
checks on generated worlds that both agree. Shares no code with the engine but the calendar."""

import datetime

from integrations.models import VersionStatus, semver_key
from marketplace.models import DisputeStatus
from scoring.engine.dates import add_months, end_of

NEGATIVE = 2


def _returned(subscriptions, moment):
    starts: dict[int, list] = {}
    for subscription in subscriptions:
        if subscription.started_at < moment:
            starts.setdefault(subscription.organization_id, []).append(subscription.started_at)
    return {organization: max(dates) for organization, dates in starts.items() if len(dates) >= 2}


def _version_relevance(policy, day, integration, assume):
    published = [v for v in integration.versions.all() if v.status == VersionStatus.PUBLISHED]
    released = [v for v in integration.application.versions.all() if v.release_date <= day]
    if not published or not released or ("supports_latest", integration.pk) in assume:
        return None
    newest = max(published, key=lambda v: semver_key(v.number))
    latest = max(released, key=lambda v: (v.release_date, v.pk))
    if latest in newest.supported_versions.all():
        return None
    return (policy.version_relevance_deduction, [latest.pk], [])


def _review_counts(review, moment, cutoff, assume):
    if review.stars > NEGATIVE or review.created_at >= cutoff:
        return False
    if review.hidden_at is not None and review.hidden_at < moment:
        return False
    dispute = getattr(review, "dispute", None) if hasattr(review, "dispute") else None
    if dispute is not None and dispute.raised_at >= moment:
        dispute = None
    if dispute is not None and dispute.status == DisputeStatus.REJECTED:
        return True
    if dispute is not None or ("disputed", review.pk) in assume:
        return False
    answered = (review.answered_at is not None and review.answered_at < moment) or ("answered", review.pk) in assume
    return not answered


def _negative_reviews(policy, moment, integration, returned, assume):
    cutoff = moment - datetime.timedelta(days=policy.response_window_days)
    counted, realigned = [], []
    for review in integration.reviews.all():
        if _review_counts(review, moment, cutoff, assume):
            back = returned.get(review.organization_id)
            (realigned if back is not None and review.created_at <= back else counted).append(review.pk)
    if not counted and not realigned:
        return None
    return (min(policy.negative_review_deduction * len(counted), policy.negative_review_cap), counted, realigned)


def _excessive(policy, cancellations, subscribers):
    if subscribers < policy.small_subscriber_threshold:
        return cancellations >= policy.small_cancellation_count
    return cancellations / subscribers >= policy.cancellation_percent / 100


def _cancellations(policy, moment, subscriptions, returned):
    start = moment - datetime.timedelta(days=policy.cancellation_window_days)
    subscribers = sum(
        1 for s in subscriptions if s.started_at < start and (s.cancelled_at is None or s.cancelled_at >= start)
    )
    counted, realigned = [], []
    for s in subscriptions:
        if s.cancelled_at is not None and start <= s.cancelled_at < moment:
            back = returned.get(s.organization_id)
            (realigned if back is not None and s.cancelled_at <= back else counted).append(s.pk)
    if _excessive(policy, len(counted), subscribers):
        return (policy.cancellation_deduction, counted, realigned)
    if realigned and _excessive(policy, len(counted) + len(realigned), subscribers):
        return (0, [], realigned)
    return None


def _misrepresentation(policy, moment, subscriptions, returned):
    start = add_months(moment, -policy.misrepresentation_window_months)
    counted, realigned = [], []
    for s in subscriptions:
        if s.cancelled_at is None or not start <= s.cancelled_at < moment:
            continue
        low = add_months(s.started_at, policy.misrepresentation_min_months)
        high = add_months(s.started_at, policy.misrepresentation_max_months)
        if low < s.cancelled_at < high:
            back = returned.get(s.organization_id)
            (realigned if back is not None and s.cancelled_at <= back else counted).append(s.pk)
    if not counted and not realigned:
        return None
    return (min(policy.misrepresentation_deduction * len(counted), policy.misrepresentation_cap), counted, realigned)


def score(policy, day, integration, assume=frozenset()):
    """(score, {rule: (amount, cause ids, realigned ids)}) for one integration."""
    moment = end_of(day)
    subscriptions = [s for s in integration.subscriptions.all() if s.started_at < moment]
    returned = _returned(subscriptions, moment)
    found = {
        "version_relevance": _version_relevance(policy, day, integration, assume),
        "negative_reviews": _negative_reviews(policy, moment, integration, returned, assume),
        "excessive_cancellations": _cancellations(policy, moment, subscriptions, returned),
        "misrepresentation": _misrepresentation(policy, moment, subscriptions, returned),
    }
    deductions = {rule: found[rule] for rule in found if found[rule] is not None}
    total = sum(amount for amount, _, _ in deductions.values())
    return max(policy.floor, policy.start - total), deductions
