"""The breakdown of an integration's latest score: each deduction with its rule, amount, the
policy numbers it used and its causes, each cause linked, with what to do about it and, where the
integrator can fix it, the score if it did (the engine run again with the fix assumed: the same
rules, not an estimate). A fixed number of queries: the what-ifs are capped."""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import dateformat, timezone

from integrations.models import ApplicationVersion, Integration
from marketplace.models import DisputeStatus, Review, Subscription
from marketplace.reviews.models import NEGATIVE_STARS
from scoring.breakdown.words import numbers_in_words
from scoring.engine import compute
from scoring.models import Deduction, Rule, ScoreSnapshot, ScoringPolicy

# Each what-if is one run of the engine for this integration: a handful of queries. The first
# ones are shown; the rest say what to do without the score.
MAX_WHAT_IFS = 8
UPCOMING_SHOWN = 10


@dataclass
class CauseView:
    label: str
    url: str = ""
    to_do: str = ""
    actions: list[tuple[str, str]] = field(default_factory=list)  # (label, url) the integrator can take
    fix: tuple | None = None  # what the engine assumes for the what-if
    what_if: int | None = None  # the score if fixed
    gain: int = 0


@dataclass
class DeductionView:
    rule: str
    label: str
    amount: int
    numbers: str
    causes: list[CauseView]
    realigned: list[str]


@dataclass
class UpcomingReview:
    review: Review
    days_left: int
    url: str


@dataclass
class Breakdown:
    snapshot: ScoreSnapshot
    deductions: list[DeductionView]
    upcoming: list[UpcomingReview]
    hide_threshold: int
    delisting_threshold: int

    @property
    def score(self) -> int:
        return self.snapshot.score


def latest_snapshot(integration: Integration) -> ScoreSnapshot | None:
    return (
        integration.score_snapshots.select_related("run__policy")
        .prefetch_related(Prefetch("deductions", queryset=Deduction.objects.order_by("rule")))
        .order_by("-day")
        .first()
    )


def _review_url(integration: Integration, review: Review) -> str:
    return reverse("listing_detail", args=[integration.slug]) + f"#review-{review.public_id}"


@dataclass
class Records:
    """The records a snapshot's deductions name, by kind and id; a record deleted since is absent."""

    application_version: dict[int, ApplicationVersion]
    review: dict[int, Review]
    cancellation: dict[int, Subscription]


def records_of(deductions: list[Deduction]) -> Records:
    """One query per kind of record named, three at most."""
    ids: dict[str, set[int]] = {"application_version": set(), "review": set(), "cancellation": set()}
    for deduction in deductions:
        ids[deduction.cause_kind].update(deduction.causes, deduction.realigned)
    versions = ApplicationVersion.objects.select_related("application")
    return Records(
        application_version=_in_bulk(versions, ids["application_version"]),
        review=_in_bulk(Review.objects.select_related("dispute"), ids["review"]),
        cancellation=_in_bulk(Subscription.objects.all(), ids["cancellation"]),
    )


def _in_bulk(queryset, ids: set[int]) -> dict:
    return queryset.in_bulk(ids) if ids else {}


def _day(moment: datetime.datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "j M Y")


def cause_label(kind: str, record, rule: str) -> str:
    """The words a breakdown says of a cause: which version, review or cancellation."""
    if record is None:
        return f"a {kind.replace('_', ' ')} since removed"
    if kind == "application_version":
        return f"{record.application.name} {record.label}"
    if kind == "review":
        return f"{record.stars}-star review of {_day(record.created_at)}"
    if rule == Rule.MISREPRESENTATION:
        days = (record.cancelled_at - record.started_at).days
        return f"cancelled {_day(record.cancelled_at)}, {days} days after subscribing"
    return f"cancellation of {_day(record.cancelled_at)}"


def _version_cause(integration, version: ApplicationVersion | None, owner: bool) -> CauseView:
    if version is None:  # removed since the run
        return CauseView(label=cause_label("application_version", None, Rule.VERSION_RELEVANCE))
    view = CauseView(
        label=f"{integration.application.name} {version.label} is not supported",
        url=reverse("application_detail", args=[version.application.slug]),
        to_do=f"support {version.label}: publish a version of the integration that supports it",
        fix=("supports_latest", integration.pk),
    )
    if owner:
        view.actions.append(("New version", reverse("integration_version_create", args=[integration.slug])))
    return view


def _review_cause(integration, review: Review | None, owner: bool) -> CauseView:
    label = cause_label("review", review, Rule.NEGATIVE_REVIEWS)
    if review is None:
        return CauseView(label=label)
    view = CauseView(label=label, url=_review_url(integration, review))
    dispute = getattr(review, "dispute", None)
    if dispute is not None and dispute.status == DisputeStatus.REJECTED:
        view.to_do = "the dispute was rejected: it counts until the customer raises the rating"
        return view
    view.to_do = "answer this review, or dispute it with your reasoning"
    view.fix = ("answered", review.pk)
    if owner:
        view.actions = [
            ("Answer", reverse("review_answer", args=[review.public_id])),
            ("Dispute", reverse("review_dispute", args=[review.public_id])),
        ]
    return view


def _cancellation_cause(integration, subscription: Subscription | None, rule: str, owner: bool) -> CauseView:
    return CauseView(
        label=cause_label("cancellation", subscription, rule),
        url=reverse("business_dashboard", args=[integration.slug]) if owner and subscription else "",
        to_do="it counts until the window passes, or the customer subscribes again",
    )


def _deduction_view(integration, deduction: Deduction, records: Records, owner: bool) -> DeductionView:
    kind = deduction.cause_kind
    found = getattr(records, kind)
    causes = []
    for cause_id in deduction.causes:
        record = found.get(cause_id)
        if kind == "application_version":
            causes.append(_version_cause(integration, record, owner))
        elif kind == "review":
            causes.append(_review_cause(integration, record, owner))
        else:
            causes.append(_cancellation_cause(integration, record, deduction.rule, owner))
    return DeductionView(
        rule=deduction.rule,
        label=Rule(deduction.rule).label,
        amount=deduction.amount,
        numbers=numbers_in_words(deduction.rule, deduction.numbers),
        causes=causes,
        realigned=[cause_label(kind, found.get(cause_id), deduction.rule) for cause_id in deduction.realigned],
    )


def add_what_ifs(integration: Integration, snapshot: ScoreSnapshot, deductions: list[DeductionView]) -> None:
    """The score each fixable cause would leave, by the snapshot's policy and day."""
    fixable = [cause for deduction in deductions for cause in deduction.causes if cause.fix][:MAX_WHAT_IFS]
    for cause in fixable:
        result = compute(snapshot.policy, snapshot.day, [integration.pk], assume=frozenset({cause.fix}))
        if integration.pk in result:
            cause.what_if = result[integration.pk].score
            cause.gain = cause.what_if - snapshot.score


def _days_until(moment: datetime.datetime, now: datetime.datetime) -> int:
    """Whole days left, rounded up: 5 days and an hour left is "within 6 days"."""
    return max(0, math.ceil((moment - now).total_seconds() / 86400))


def upcoming_reviews(integration: Integration, policy: ScoringPolicy, now: datetime.datetime) -> list[UpcomingReview]:
    """Negative reviews still inside the response window with neither answer nor dispute: each
    counts from the first run after its window ends unless answered or disputed first."""
    window = datetime.timedelta(days=policy.response_window_days)
    reviews = (
        integration.reviews.filter(
            stars__lte=NEGATIVE_STARS, answered_at__isnull=True, dispute__isnull=True, created_at__gt=now - window
        )
        .select_related("organization")
        .order_by("created_at", "id")[:UPCOMING_SHOWN]
    )
    return [
        UpcomingReview(review, _days_until(review.created_at + window, now), _review_url(integration, review))
        for review in reviews
    ]


def breakdown(integration: Integration, *, owner: bool, what_if: bool = True) -> Breakdown | None:
    snapshot = latest_snapshot(integration)
    if snapshot is None:
        return None
    deductions = list(snapshot.deductions.all())
    records = records_of(deductions)
    views = [_deduction_view(integration, deduction, records, owner) for deduction in deductions]
    if what_if:
        add_what_ifs(integration, snapshot, views)
    policy = snapshot.policy
    upcoming = upcoming_reviews(integration, policy, timezone.now()) if owner else []
    return Breakdown(snapshot, views, upcoming, policy.hide_threshold, policy.delisting_threshold)
