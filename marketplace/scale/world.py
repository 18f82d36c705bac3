"""What a generated world is made of, and the helpers every part of its generation shares.

The scaled world is for measuring pages at real scale (benchmarks/serve.py), never for showing:
everything in it is marked by slugs starting with PREFIX and e-mail addresses at DOMAIN, which is
also how a later run finds it (to refuse, or to delete it with --reset)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone

PREFIX = "scale-"
DOMAIN = "scale.example.com"
# No one signs in with a password (the benchmark makes a session): Django's mark of none set.
NO_PASSWORD = UNUSABLE_PASSWORD_PREFIX + "scale-world"
BATCH = 5000
YEARS = 3  # random dates fall within the last three years

WORDS = (
    "orders customers products inventory shipments invoices refunds catalog pricing returns carts "
    "payments fulfilment warehouses promotions loyalty subscriptions taxes vendors purchase"
).split()


@dataclass(frozen=True)
class Scale:
    """How big the world is. The defaults are the scale issue 10 and issue 12 measure at; the
    counts of organizations follow from them unless given."""

    applications: int = 5_000
    app_versions: int = 20_000
    integrations: int = 10_000
    subscriptions: int = 200_000
    reviews: int = 1_000_000
    providers: int = 0
    integrators: int = 0
    customers: int = 0
    seed: int = 2026

    def __post_init__(self):
        if min(self.applications, self.integrations) < 1:
            raise ValueError("A world needs at least one application and one integration.")
        if self.app_versions < self.applications:
            raise ValueError("Every application has at least one version: --app-versions >= --applications.")
        defaults = {
            "providers": max(1, self.applications // 10),
            "integrators": max(1, self.integrations // 33),
            # Enough customers that the most reviewed integration finds distinct reviewers.
            "customers": max(20, min(20_000, self.reviews // max(1, self.integrations // 4) * 3)),
        }
        for name, value in defaults.items():
            if not getattr(self, name):
                object.__setattr__(self, name, value)


@dataclass
class World:
    """The ids made so far, for the next step to point at."""

    scale: Scale
    rng: random.Random
    now: datetime.datetime = field(default_factory=timezone.now)
    providers: list[int] = field(default_factory=list)
    integrators: list[int] = field(default_factory=list)
    customers: list[int] = field(default_factory=list)
    owners: dict[int, int] = field(default_factory=dict)  # organization -> its owner's user id
    applications: list[int] = field(default_factory=list)
    published_applications: list[int] = field(default_factory=list)
    application_names: dict[int, str] = field(default_factory=dict)
    app_versions: dict[int, list[int]] = field(default_factory=dict)  # application -> its versions, oldest first
    integrations: list[tuple[int, int, int]] = field(default_factory=list)  # (id, owner, tier)
    integration_applications: dict[int, int] = field(default_factory=dict)
    shown_versions: dict[int, int] = field(default_factory=dict)  # integration -> newest published version
    # (customer, integration) -> when its first subscription began and when it came back (or None)
    subscribers: dict[tuple[int, int], tuple] = field(default_factory=dict)

    def random_date(self, *, after: datetime.datetime | None = None) -> datetime.datetime:
        start = after or self.now - datetime.timedelta(days=365 * YEARS)
        span = max(1, int((self.now - start).total_seconds()))
        return start + datetime.timedelta(seconds=self.rng.randrange(span))

    def words(self, count: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=count))


SYLLABLES = (
    "ka zor bix lum tra vel quin dor sen ta mo rix pel an gro ful ster nex vo lia cor dan mer "
    "sol ber tex pra zen fi ola"
).split()


def invented_name(rng, taken: set[str]) -> str:
    """A product name no one else in the world has ("Zorbix", "Quinpelta"), as real ones are."""
    while True:
        name = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).capitalize()
        if name not in taken:
            taken.add(name)
            return name


def skewed_counts(total: int, buckets: int, rng: random.Random, *, heavy_share: float, minimum: int = 0) -> list[int]:
    """`total` things over `buckets`: the first bucket takes `heavy_share` of them (the worst case
    a page must still serve fast), every bucket at least `minimum`, the rest at random."""
    counts = [minimum] * buckets
    left = total - minimum * buckets
    if left <= 0:
        return counts
    heavy = min(left, int(total * heavy_share)) if buckets > 1 else left
    counts[0] += heavy
    for index in rng.choices(range(1, buckets), k=left - heavy) if buckets > 1 else ():
        counts[index] += 1
    return counts


def batches(items, size: int = BATCH):
    """`items` (any iterable) in lists of at most `size`."""
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def bulk(model, objects, *, size: int = BATCH) -> list[int]:
    """Inserts `objects` (any iterable) in batches; the new rows' ids, in order."""
    ids = []
    for chunk in batches(objects, size):
        ids += [obj.pk for obj in model.objects.bulk_create(chunk, batch_size=size)]
    return ids
