"""The hide warning: a week before a run would hide an integration. The engine scores the day a
week ahead on today's records, so the negative reviews whose response window ends and the
cancellations and reviews that leave their windows meanwhile are counted as that run will count
them; a listed integration whose score there falls below the hide threshold is about to be hidden.

The daily task records each warning (and its lifting) as an audit event; the dashboard reads those
(standing_warnings), never the engine, so its cost does not grow with the integrations."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from integrations.models import Integration
from marketplace.listings.models import Listing, Visibility
from portal.models import AuditEvent
from scoring.engine import compute
from scoring.models import ScoreSnapshot, ScoringPolicy

WARNING_DAYS = 7


@dataclass(frozen=True)
class HideAhead:
    integration: Integration
    score_now: int | None
    score_then: int
    day: datetime.date
    hide_threshold: int


def current_policy() -> ScoringPolicy | None:
    return ScoringPolicy.objects.order_by("-version").first()


def hide_threshold() -> int | None:
    policy = current_policy()
    return policy.hide_threshold if policy else None


def hides_ahead(integration_ids: Iterable[int] | None = None, *, today: datetime.date | None = None) -> list[HideAhead]:
    """Listed integrations (all, or these) the run of a week from today would hide: one run of the
    engine over all of them."""
    policy = current_policy()
    if policy is None:  # nothing was ever scored
        return []
    day = (today or timezone.localdate()) + datetime.timedelta(days=WARNING_DAYS)
    listings = Listing.objects.filter(visibility=Visibility.LISTED, score__isnull=False)
    if integration_ids is not None:
        listings = listings.filter(integration_id__in=list(integration_ids))
    scores_now = dict(listings.values_list("integration_id", "score"))
    if not scores_now:
        return []
    results = compute(policy, day, scores_now.keys())
    falling = {pk for pk, result in results.items() if result.score < policy.hide_threshold}
    integrations = Integration.objects.filter(pk__in=falling).select_related("owner").order_by("name", "pk")
    return [
        HideAhead(integration, scores_now[integration.pk], results[integration.pk].score, day, policy.hide_threshold)
        for integration in integrations
    ]


def _latest(kind: str, field: str, column: str = "created_at") -> Subquery:
    """A column (when it was recorded) of the newest event of this kind about (or within) the outer
    integration."""
    events = AuditEvent.objects.filter(
        kind=kind,
        **{f"{field}_type": ContentType.objects.get_for_model(Integration), f"{field}_id": OuterRef("pk")},
    )
    return Subquery(events.order_by("-created_at", "-id").values(column)[:1])


def _warned(integrations: QuerySet[Integration]) -> QuerySet[Integration]:
    """The listed integrations among these whose newest hide warning is newer than the last change
    of their listing's visibility and than the last lifting of a warning: one query, however many."""
    newer_than_warning = Q(warned_at__gt=F("lifted_at")) | Q(lifted_at__isnull=True)
    newer_than_change = Q(warned_at__gt=F("changed_at")) | Q(changed_at__isnull=True)
    last_scored = ScoreSnapshot.objects.filter(integration=OuterRef("pk")).order_by("-day").values("day")[:1]
    return (
        integrations.filter(listing__visibility=Visibility.LISTED)
        .annotate(
            warned_at=_latest("score.hide_warned", "target"),
            lifted_at=_latest("score.hide_warning_lifted", "target"),
            changed_at=_latest("listing.visibility_changed", "within"),
            last_scored=Subquery(last_scored),
            score_now=F("listing__score"),
        )
        .filter(newer_than_warning & newer_than_change, warned_at__isnull=False)
    )


def warned_day(warned_at: datetime.datetime) -> datetime.date:
    """The day of the run a warning recorded at warned_at spoke of."""
    return timezone.localdate(warned_at) + datetime.timedelta(days=WARNING_DAYS)


def _standing(integrations: Iterable[Integration]) -> list[Integration]:
    """A warning stands until the run it spoke of: once a run of that day or later was written
    and left the integration listed, the week passed without hiding it."""
    return [each for each in integrations if each.last_scored is None or each.last_scored < warned_day(each.warned_at)]


def already_warned(integration_ids: Iterable[int]) -> set[int]:
    """Integrations whose warning stands: one warning each time an integration heads for hiding,
    not one a night."""
    warned = _warned(Integration.objects.filter(pk__in=list(integration_ids))).only("pk")
    return {each.pk for each in _standing(warned)}


@dataclass(frozen=True)
class StandingWarning:
    integration: Integration
    warned_at: datetime.datetime
    day: datetime.date
    score_now: int | None
    score_then: int | None


def standing_warnings(integrations: QuerySet[Integration]) -> list[StandingWarning]:
    """The integrations among these (the acting organization's) that were warned and are still at
    risk, by name: what the daily task recorded, read in one query whatever their number."""
    warned = (
        _warned(integrations)
        .annotate(score_then=_latest("score.hide_warned", "target", "to_state"))
        .only("pk", "name", "slug", "owner")
        .order_by("name", "pk")
    )
    return [
        StandingWarning(each, each.warned_at, warned_day(each.warned_at), each.score_now, _int(each.score_then))
        for each in _standing(warned)
    ]


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None
