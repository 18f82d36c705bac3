"""The integrator's business dashboard for one integration: a fixed number of queries whatever its history."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from integrations.models import Integration
from marketplace.reviews.models import Review, response_window
from marketplace.subscriptions.models import CancellationReason, Subscription

WINDOW_DAYS = 90
CHART_MONTHS = 12
LIST_CAP = 50


@dataclass(frozen=True)
class ChartPoint:
    month: datetime.date
    subscribers: int


@dataclass(frozen=True)
class Chart:
    points: list[ChartPoint]
    width: int = 640
    height: int = 200
    margin: int = 32

    @property
    def peak(self) -> int:
        return max((point.subscribers for point in self.points), default=0) or 1

    def coordinates(self) -> list[tuple[float, float, ChartPoint]]:
        inner_w, inner_h = self.width - 2 * self.margin, self.height - 2 * self.margin
        step = inner_w / max(len(self.points) - 1, 1)
        return [
            (
                round(self.margin + index * step, 1),
                round(self.height - self.margin - inner_h * point.subscribers / self.peak, 1),
                point,
            )
            for index, point in enumerate(self.points)
        ]

    @property
    def polyline(self) -> str:
        return " ".join(f"{x},{y}" for x, y, _ in self.coordinates())


@dataclass(frozen=True)
class Dashboard:
    integration: Integration
    active: int
    mrr: Decimal
    new: int
    cancelled: int
    reasons: list[tuple[str, int]]
    cancellations: list[Subscription]
    chart: Chart
    awaiting_answer: list[Review]


def _month_starts(today: datetime.date) -> list[datetime.date]:
    months, year, month = [], today.year, today.month
    for _ in range(CHART_MONTHS):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def subscribers_chart(integration: Integration, now: datetime.datetime) -> Chart:
    """Active subscribers at the end of each of the last twelve months (the current one: now),
    counted in the database in one query, one conditional count per month."""
    ends = [*_month_starts(now.date())[1:], None]
    aggregates = {}
    for index, end in enumerate(ends):
        moment = now if end is None else datetime.datetime.combine(end, datetime.time.min, tzinfo=datetime.UTC)
        alive = Q(started_at__lt=moment) & (Q(cancelled_at__isnull=True) | Q(cancelled_at__gte=moment))
        aggregates[f"m{index}"] = Count("pk", filter=alive)
    counts = Subscription.objects.filter(integration=integration).aggregate(**aggregates)
    months = _month_starts(now.date())
    return Chart([ChartPoint(month, counts[f"m{index}"]) for index, month in enumerate(months)])


def dashboard(integration: Integration, now: datetime.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    since = now - datetime.timedelta(days=WINDOW_DAYS)
    subscriptions = Subscription.objects.filter(integration=integration)
    figures = subscriptions.aggregate(
        active=Count("pk", filter=Q(cancelled_at__isnull=True)),
        mrr=Sum("price_per_month", filter=Q(cancelled_at__isnull=True)),
        new=Count("pk", filter=Q(started_at__gte=since)),
        cancelled=Count("pk", filter=Q(cancelled_at__gte=since)),
    )
    recent = subscriptions.filter(cancelled_at__gte=since)
    by_reason = dict(
        recent.values_list("cancellation_reason").annotate(n=Count("pk")).values_list("cancellation_reason", "n")
    )
    reasons = [(label, by_reason[value]) for value, label in CancellationReason.choices if by_reason.get(value)]
    awaiting = (
        Review.objects.public()
        .filter(integration=integration, answered_at__isnull=True, created_at__gt=now - response_window())
        .select_related("organization", "dispute")
        .order_by("created_at")[:LIST_CAP]
    )
    return Dashboard(
        integration=integration,
        active=figures["active"],
        mrr=figures["mrr"] or Decimal(0),
        new=figures["new"],
        cancelled=figures["cancelled"],
        reasons=reasons,
        cancellations=list(recent.select_related("organization").order_by("-cancelled_at")[:LIST_CAP]),
        chart=subscribers_chart(integration, now),
        awaiting_answer=[_with_days_left(review, now) for review in awaiting],
    )


def _with_days_left(review: Review, now: datetime.datetime) -> Review:
    review.days_left = max((review.response_deadline - now).days, 0)
    return review


def own_integrations(organization):
    """The organization's integrations with their active subscriber counts, for the dashboard's index."""
    return organization.integrations.annotate(
        active_subscribers=Count("subscriptions", filter=Q(subscriptions__cancelled_at__isnull=True))
    ).order_by("name")
