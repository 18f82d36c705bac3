"""Run callables at the same moment, each in its own thread (so its own database connection),
released together by a barrier, as the race tests need (PostgreSQL: SQLite serialises writers)."""

import threading

import pytest
from django.db import connection

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL (SQLite serialises writers)"
)


def at_once(*calls) -> list:
    """What each call returned, or the exception it raised, in the order given."""
    barrier, outcomes = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the test looks at what each call raised
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
