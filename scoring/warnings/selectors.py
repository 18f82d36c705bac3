"""The hide warning: a week before a run would hide an integration. The engine scores the day a
week ahead on today's records, so the negative reviews whose response window ends and the
cancellations and reviews that leave their windows meanwhile are counted as that run will count
them; a listed integration whose score there falls below the hide threshold is about to be hidden."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from integrations.models import Integration
from marketplace.listings.models import Listing, Visibility
from portal.models import AuditEvent
from scoring.engine import compute
from scoring.models import ScoringPolicy

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


def already_warned(integration_ids: Iterable[int]) -> set[int]:
    """Integrations warned since their listing's visibility last changed: one warning each time
    an integration heads for hiding, not one a night."""
    ids = list(integration_ids)

    def last(kind: str, field: str) -> dict[int, datetime.datetime]:
        rows = (
            AuditEvent.objects.filter(kind=kind, **{f"{field}__in": ids})
            .order_by()
            .values(field)
            .annotate(at=Max("created_at"))
            .values_list(field, "at")
        )
        return dict(rows)

    warned = last("score.hide_warned", "target_id")
    changed = last("listing.visibility_changed", "within_id")
    return {pk for pk, at in warned.items() if pk not in changed or at > changed[pk]}
