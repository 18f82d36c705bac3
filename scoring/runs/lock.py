"""Only one scoring run executes at a time. On PostgreSQL a session advisory lock, taken without
waiting: a second worker (a duplicate message, two beat ticks) is told at once that a run is
going. Elsewhere (SQLite, which serialises writers anyway) the run row's conditional claim in
services.claim_run is the guard."""

import contextlib
from collections.abc import Iterator

from django.db import connection

# An arbitrary constant shared by every process that scores: "SCOR" in ASCII.
ADVISORY_KEY = 0x53434F52


@contextlib.contextmanager
def scoring_lock() -> Iterator[bool]:
    """Yields whether this process holds the lock; releases it on the way out."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])


def lock_is_held_elsewhere() -> bool:
    """True when another session holds the scoring lock right now (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return False
    with scoring_lock() as held:
        return not held
