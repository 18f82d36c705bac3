"""Background jobs that survive a lost message.

Every job has a database row (an OpenAPI import, a mapping test run, an outgoing email) that
says it is queued before its message goes to the broker, so the row, not Redis, is the record
of the work. When the broker is away the message is dropped with a warning (`send`), and a
periodic sweep (`sweep_jobs`, run by beat every minute) queues again what is still waiting and
marks failed what was running longer than any worker could have.

Each app registers its sweeper in AppConfig.ready (portal imports no domain app).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

_sweepers: list[Callable[[], None]] = []


def requeue_after() -> timedelta:
    """How long a job waits queued before the sweep sends its message again."""
    return timedelta(seconds=settings.JOB_REQUEUE_AFTER)


def abandoned_after() -> timedelta:
    """How long a job can be running before it is certainly lost: a redelivery of its message
    (after the broker's visibility timeout) would have finished by then."""
    return timedelta(seconds=settings.JOB_ABANDONED_AFTER)


def claimable(*, queued: str, running: str) -> Q:
    """The rows a worker may take: queued ones, and running ones whose worker is certainly gone,
    having run longer than the hard time limit lets any task (so the message is a redelivery).
    A duplicate message for a job another worker is still running takes nothing."""
    cutoff = timezone.now() - timedelta(seconds=settings.TASK_TIME_LIMIT)
    return Q(status=queued) | (Q(status=running) & (Q(started_at__isnull=True) | Q(started_at__lt=cutoff)))


def send(task, *args) -> bool:
    """Queue `task(*args)`. With the broker unreachable, log it and answer False: the job's row is
    still queued, and the sweep sends it again once the broker is back."""
    try:
        task.delay(*args)
    except OperationalError as error:
        logger.warning("Could not queue %s%r (%s); the sweep will queue it again", task.name, args, error)
        return False
    return True


def register_sweeper(sweeper: Callable[[], None]) -> Callable[[], None]:
    if sweeper not in _sweepers:
        _sweepers.append(sweeper)
    return sweeper


def sweep_jobs() -> None:
    """Run every registered sweeper; one that fails is logged and does not stop the others."""
    for sweeper in list(_sweepers):
        try:
            sweeper()
        except Exception:  # noqa: BLE001 - the next sweeper (and the next sweep) must still run
            logger.exception("Job sweeper %s failed", sweeper.__qualname__)
