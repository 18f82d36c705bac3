"""The staff work queues: what waits for a decision by Red Rook staff.

The portal is the lowest layer and knows no domain app, so each app registers its queues here from
its AppConfig.ready: a name, what waits (a queryset and the field saying since when), the list
where the queue is worked and the page where one item is decided. The admin home counts them and
the daily digest (portal.tasks.send_staff_queue_digest) lists what has waited too long.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Min, Model, QuerySet
from django.urls import reverse
from django.utils import timezone


@dataclass(frozen=True)
class StaffQueue:
    key: str
    name: str  # plural, what waits: "Version submissions"
    waiting: Callable[[], QuerySet]  # what waits for a decision now
    since_field: str  # the field of `waiting` that says since when an item waits
    list_url_name: str  # the admin list where the queue is worked
    decision_url: Callable[[Model], str]  # the page where one item is decided
    permission: str  # the permission a staff member needs to see the queue ("app.view_model")
    list_query: str = ""  # appended to the list's URL, e.g. "status__exact=pending"

    @classmethod
    def in_admin(cls, model: type[Model], *, key: str, name: str, waiting, since_field: str, list_query: str = ""):
        """A queue worked in `model`'s admin: its list, each item's change page (where it is decided)
        and the view permission all follow from the model."""
        opts = model._meta
        admin_name = f"admin:{opts.app_label}_{opts.model_name}"
        return cls(
            key=key,
            name=name,
            waiting=waiting,
            since_field=since_field,
            list_url_name=f"{admin_name}_changelist",
            decision_url=lambda item: reverse(f"{admin_name}_change", args=[item.pk]),
            permission=f"{opts.app_label}.view_{opts.model_name}",
            list_query=list_query,
        )

    @property
    def list_url(self) -> str:
        url = reverse(self.list_url_name)
        return f"{url}?{self.list_query}" if self.list_query else url


@dataclass(frozen=True)
class QueueCount:
    queue: StaffQueue
    count: int
    oldest_since: datetime.datetime | None

    @property
    def oldest_age(self) -> datetime.timedelta | None:
        return timezone.now() - self.oldest_since if self.oldest_since else None


# Keyed, so that registering again (an AppConfig.ready run twice) replaces rather than repeats.
_queues: dict[str, StaffQueue] = {}


def register_queue(queue: StaffQueue) -> None:
    _queues[queue.key] = queue


def queues() -> list[StaffQueue]:
    return list(_queues.values())


def visible_queues(user) -> list[StaffQueue]:
    return [queue for queue in _queues.values() if user.has_perm(queue.permission)]


def count_waiting(user) -> list[QueueCount]:
    """The queues this staff member may see, with how many wait and since when the oldest waits:
    one query per registered queue, whatever waits. The longest-waiting queue comes first; empty
    queues last, by name."""
    counts = []
    for queue in visible_queues(user):
        totals = queue.waiting().order_by().aggregate(count=Count("pk"), oldest=Min(queue.since_field))
        counts.append(QueueCount(queue, totals["count"], totals["oldest"]))
    far_future = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    return sorted(counts, key=lambda c: (c.oldest_since or far_future, c.queue.name))


@dataclass(frozen=True)
class OverdueItem:
    label: str
    since: datetime.datetime
    decision_url: str


@dataclass(frozen=True)
class OverdueQueue:
    queue: StaffQueue
    count: int
    items: list[OverdueItem]  # the oldest first, at most `limit`


def overdue(days: int, *, limit: int = 20, now: datetime.datetime | None = None) -> list[OverdueQueue]:
    """What has waited longer than `days`, per queue (every queue: the digest goes to all staff)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    found = []
    for queue in _queues.values():
        late = queue.waiting().filter(**{f"{queue.since_field}__lt": cutoff})
        count = late.count()
        if not count:
            continue
        oldest = late.order_by(queue.since_field, "pk")[:limit]
        items = [OverdueItem(str(item), getattr(item, queue.since_field), queue.decision_url(item)) for item in oldest]
        found.append(OverdueQueue(queue, count, items))
    return found
