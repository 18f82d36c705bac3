"""The reviews section of an integration's page: the summary, one page of reviews and what the viewer may do."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Q
from django.utils import timezone

from integrations.models import Integration
from marketplace.reviews.models import Review
from marketplace.subscriptions.models import Subscription

REVIEWS_PER_PAGE = 10


@dataclass(frozen=True)
class RatingSummary:
    count: int
    average: float | None
    distribution: list[tuple[int, int, int]]  # stars, count, percent, from 5 down to 1


def rating_summary(integration: Integration) -> RatingSummary:
    figures = (
        Review.objects.public()
        .filter(integration=integration)
        .aggregate(
            count=Count("pk"), average=Avg("stars"), **{f"s{n}": Count("pk", filter=Q(stars=n)) for n in range(1, 6)}
        )
    )
    count = figures["count"]
    distribution = [
        (n, figures[f"s{n}"], round(100 * figures[f"s{n}"] / count) if count else 0) for n in range(5, 0, -1)
    ]
    return RatingSummary(count, figures["average"], distribution)


def reviews_page(integration: Integration, number) -> Page:
    """A page of reviews with the reviewer, the dispute and how long the reviewer has subscribed."""
    reviews = Review.objects.public().filter(integration=integration).select_related("organization", "dispute")
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(number)
    durations = subscribed_for(integration, [review.organization_id for review in page.object_list])
    for review in page.object_list:
        review.subscribed_for = durations.get(review.organization_id, datetime.timedelta(0))
    return page


def subscribed_for(integration: Integration, organization_ids: list[int]) -> dict[int, datetime.timedelta]:
    """Each organization's total time subscribed to the integration, over all its subscriptions."""
    now = timezone.now()
    totals: dict[int, datetime.timedelta] = defaultdict(datetime.timedelta)
    rows = Subscription.objects.filter(integration=integration, organization_id__in=organization_ids)
    for subscription in rows.only("organization_id", "started_at", "cancelled_at"):
        totals[subscription.organization_id] += subscription.duration(now)
    return totals
