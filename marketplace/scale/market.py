"""The generated world's marketplace: listings with their search documents, subscriptions (with
cancellations and customers who came back) and reviews (with answers and disputes).

Customers subscribe to Certified integrations only, as the Subscribe button allows. Reviews go
first to the organizations that subscribed; at the default scale a million reviews cannot all
come from 200,000 subscriptions, so the rest are by customers without a subscription row (as if
they had paid before the portal kept subscriptions)."""

from __future__ import annotations

import datetime

from integrations.models import Tier
from marketplace.listings.models import Listing
from marketplace.listings.services import refresh_search_documents
from marketplace.reviews.models import NEGATIVE_STARS, Dispute, DisputeStatus, Review
from marketplace.reviews.ratings import refresh_all_ratings
from marketplace.scale.world import World, batches, bulk, skewed_counts
from marketplace.subscriptions.models import CancellationReason, Subscription

STARS = (1, 2, 3, 4, 5)
STAR_WEIGHTS = (8, 7, 15, 35, 35)
CANCELLED_SHARE = 0.3
CAME_BACK_SHARE = 0.15  # of the cancelled subscriptions, those whose customer subscribed again


def generate_listings(world: World) -> None:
    """One listed, unscored listing per integration (as the marketplace makes them), with its
    search document and, on PostgreSQL, its search vector."""
    bulk(Listing, (Listing(integration_id=pk, created_at=world.now) for pk, _, _ in world.integrations))
    for chunk in batches([pk for pk, _, _ in world.integrations], 2000):
        refresh_search_documents(chunk)


def _certified(world: World) -> list[int]:
    return [pk for pk, _, tier in world.integrations if tier >= Tier.CERTIFIED]


def _per_integration(world: World, total: int, integrations: list[int]) -> dict[int, int]:
    """How many of `total` each integration gets: a popular few many, capped at one per customer."""
    cap = len(world.customers)
    counts = [min(cap, count) for count in skewed_counts(total, len(integrations), world.rng, heavy_share=0.01)]
    left = min(total, cap * len(integrations)) - sum(counts)
    while left > 0:  # what the cap cut off goes to integrations with room
        room = [index for index, count in enumerate(counts) if count < cap]
        for index in world.rng.choices(room, k=min(left, len(room))):
            if counts[index] < cap and left > 0:
                counts[index] += 1
                left -= 1
    return dict(zip(integrations, counts, strict=True))


def _subscription(world: World, customer: int, pk: int, price, started: datetime.datetime, *, cancel: bool):
    sub = Subscription(
        organization_id=customer,
        integration_id=pk,
        version_id=world.shown_versions[pk],
        price_up_front=price[0],
        price_per_month=price[1],
        subscribed_by_id=world.owners[customer],
        started_at=started,
    )
    if cancel:
        sub.cancelled_at = world.random_date(after=started)
        sub.cancelled_by_id = sub.subscribed_by_id
        sub.cancellation_reason = world.rng.choice(CancellationReason.values)
    return sub


def generate_subscriptions(world: World) -> None:
    """`subscriptions` rows over the Certified integrations; some cancelled, and some of those
    followed by a new subscription of the same customer (at most one active per pair)."""
    from integrations.models import Integration

    certified = _certified(world)
    if not certified:
        return
    prices = {
        pk: (up, month)
        for pk, up, month in Integration.objects.filter(pk__in=certified).values_list(
            "pk", "price_up_front", "price_per_month"
        )
    }
    rows, rng = [], world.rng
    for pk, count in _per_integration(world, world.scale.subscriptions, certified).items():
        for customer in rng.sample(world.customers, count):
            if len(rows) >= world.scale.subscriptions:
                break
            cancel = rng.random() < CANCELLED_SHARE
            first = _subscription(world, customer, pk, prices[pk], world.random_date(), cancel=cancel)
            rows.append(first)
            again = None
            if cancel and rng.random() < CAME_BACK_SHARE and len(rows) < world.scale.subscriptions:
                again = world.random_date(after=first.cancelled_at)
                rows.append(_subscription(world, customer, pk, prices[pk], again, cancel=rng.random() < 0.2))
            world.subscribers[(customer, pk)] = (first.started_at, again)
    bulk(Subscription, rows)


def _review(world: World, customer: int, integration: int, history) -> Review:
    rng = world.rng
    started, came_back_at = history or (world.random_date(), None)
    stars = rng.choices(STARS, STAR_WEIGHTS)[0]
    created = world.random_date(after=started)
    review = Review(
        organization_id=customer,
        integration_id=integration,
        author_id=world.owners[customer],
        stars=stars,
        text=f"{world.words(rng.randint(5, 40)).capitalize()}.",
        created_at=created,
    )
    if came_back_at and stars <= NEGATIVE_STARS and came_back_at > created:
        review.returned_at = came_back_at
    if rng.random() < 0.4:
        review.answer = f"Thank you: {world.words(12)}."
        review.answered_at = world.random_date(after=created)
    return review


def generate_reviews(world: World) -> None:
    """`reviews` rows over the Certified integrations, one per customer and integration; two in
    five answered; a third of the negative ones disputed (pending, accepted or rejected)."""
    certified = _certified(world)
    if not certified:
        return
    subscribed: dict[int, list[int]] = {}
    for customer, pk in world.subscribers:
        subscribed.setdefault(pk, []).append(customer)
    owners = {pk: owner for pk, owner, _ in world.integrations}
    reviews = (
        _review(world, customer, pk, world.subscribers.get((customer, pk)))
        for pk, count in _per_integration(world, world.scale.reviews, certified).items()
        for customer in _reviewers(world, subscribed.get(pk, []), count)
    )
    for chunk in batches(reviews, 20_000):
        saved = Review.objects.bulk_create(chunk, batch_size=5000)
        disputed = [review for review in saved if review.is_negative and world.rng.random() < 1 / 3]
        bulk(Dispute, (_dispute(world, review, world.owners[owners[review.integration_id]]) for review in disputed))
    refresh_all_ratings()


def _reviewers(world: World, subscribed: list[int], count: int) -> list[int]:
    """The customers reviewing an integration: its subscribers first (two in three), then others."""
    chosen = [c for c in subscribed if world.rng.random() < 2 / 3][:count]
    taken = set(chosen)
    pool = world.rng.sample(world.customers, min(len(world.customers), count + len(chosen)))
    return chosen + [c for c in pool if c not in taken][: count - len(chosen)]


def _dispute(world: World, review: Review, raised_by: int) -> Dispute:
    # Within the response window, as the dispute form allows.
    raised = min(world.now, review.created_at + datetime.timedelta(days=world.rng.uniform(0, 14)))
    status = world.rng.choice(DisputeStatus.values)
    return Dispute(
        review_id=review.pk,
        reasoning=f"The customer {world.words(10)}.",
        raised_by_id=raised_by,
        raised_at=raised,
        status=status,
        decided_at=None if status == DisputeStatus.PENDING else world.random_date(after=raised),
        decision_comment="" if status == DisputeStatus.PENDING else f"Staff {world.words(6)}.",
    )
