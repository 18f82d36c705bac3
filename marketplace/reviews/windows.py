"""How long an integrator has to answer or dispute a review, and how long a paying subscriber is
subscribed before it is asked for one.

DOMAIN.md puts both numbers in the scoring policy, which staff edit; the scoring app (above this
one) hands them in from its AppConfig through `read_numbers_with`. Without it the settings'
defaults apply. The numbers are read for every review on a page, so each process keeps them for a
minute: a newly published policy is forgotten at once in the process that published it and
within a minute everywhere else."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

KEEP_SECONDS = 60


@dataclass(frozen=True)
class ReviewWindows:
    response_window_days: int
    solicitation_delay_days: int


def _from_settings() -> ReviewWindows:
    return ReviewWindows(settings.REVIEW_RESPONSE_WINDOW_DAYS, settings.REVIEW_REQUEST_AFTER_DAYS)


_reader: Callable[[], ReviewWindows] = _from_settings
_kept: tuple[float, ReviewWindows] | None = None


def read_numbers_with(reader: Callable[[], ReviewWindows]) -> None:
    global _reader
    _reader = reader
    forget()


def forget() -> None:
    global _kept
    _kept = None


def current() -> ReviewWindows:
    global _kept
    now = time.monotonic()
    if _kept is None or now - _kept[0] > KEEP_SECONDS:
        _kept = (now, _reader())
    return _kept[1]
