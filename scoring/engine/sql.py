"""Reading a rule's rows. On PostgreSQL Django's timestamp loader (which sets the time zone) is
plain Python, and parsing the moments of hundreds of thousands of reviews and subscriptions
with it took more time than the queries; psycopg's own loader (compiled) reads them in the same
time zone, UTC, the connection's. Elsewhere, and for any other query, the queryset as is."""

import contextlib
import re
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import QuerySet
from psycopg.types.datetime import TimestamptzLoader
from psycopg.types.string import TextLoader


def rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a values_list queryset whose columns need no Django conversion (ids, numbers,
    texts, aware datetimes)."""
    if connection.vendor != "postgresql":
        return list(queryset)
    sql, params = queryset.query.sql_with_params()
    return fetch(sql, params)


def fetch(sql: str, params) -> list[tuple]:
    """The rows of a PostgreSQL statement, read by psycopg's own loaders; json columns arrive as
    text, for whoever reads them to parse (or not)."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's cursor: its adapters can change without touching the connection's
        raw.adapters.register_loader("timestamptz", TimestamptzLoader)
        raw.adapters.register_loader("json", TextLoader)
        raw.execute(sql, params)
        return raw.fetchall()


# What the statements of a whole run sort and group at once (every customer and integration
# pair, 200,000 negative reviews by integration) fits in this much; PostgreSQL's default of 4 MB
# sends it to disk, which took twice the time.
WORK_MEM = "64MB"


@contextlib.contextmanager
def reading(snapshot: str | None = None) -> Iterator[None]:
    """On PostgreSQL one transaction for a computation's statements (its temporary table lives in
    it), with WORK_MEM for each; inside a caller's transaction the settings last until that one
    ends. A transaction it begins reads one snapshot of the database throughout (REPEATABLE
    READ): the one `snapshot` names if given (export_snapshot's, from another connection), so that
    two connections computing the parts of one result read the same rows; that second connection
    starts no parallel workers (without_parallel_workers). Elsewhere nothing: SQLite's
    transactions here begin by taking the write lock."""
    if connection.vendor != "postgresql":
        yield
        return
    begins = not connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            if begins:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            if snapshot is not None:
                if not begins or not SNAPSHOT_NAME.fullmatch(snapshot):
                    raise ValueError(f"Cannot read the snapshot {snapshot!r} here.")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")  # a name, checked: no parameter here
            cursor.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
        if snapshot is not None:
            without_parallel_workers()
        yield


def without_parallel_workers() -> None:
    """For the rest of the transaction, this connection's statements start no parallel workers.
    A computation on two connections keeps both cores busy by itself: workers of either only
    queued for a core and repeated work (each built its own hash of the disputes). Without them
    a whole marketplace's computation took 0.1-0.25 s less at 10,000 integrations."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('max_parallel_workers_per_gather', '0', true)")


SNAPSHOT_NAME = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")


def export_snapshot() -> str:
    """The name of the snapshot the current transaction (reading's) reads, for another connection's
    reading(snapshot) while this transaction lasts."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        return cursor.fetchone()[0]
