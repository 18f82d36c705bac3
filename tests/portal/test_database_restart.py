"""A PostgreSQL restart costs only the requests in flight: a persistent connection the server
dropped is found unusable at the start of the next request and replaced (CONN_HEALTH_CHECKS),
instead of failing that request. The server side of the test's own connection is ended with
pg_terminate_backend, as a restart ends it (the machine's PostgreSQL itself is never stopped)."""

import psycopg
import pytest
from django.db import OperationalError, close_old_connections, connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's"),
]


def _drop_server_side_of(pid: int) -> None:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def _next_request_runs_a_query(health_checks: bool) -> None:
    connection.close()
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=health_checks)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        close_old_connections()  # the end of a request: a persistent connection is kept
        _drop_server_side_of(pid)
        close_old_connections()  # the start of the next request
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.settings_dict.update(saved)
        connection.close()


def test_the_first_request_after_a_dropped_connection_gets_a_new_one():
    _next_request_runs_a_query(health_checks=True)


def test_without_health_checks_that_request_would_fail():
    with pytest.raises(OperationalError):
        _next_request_runs_a_query(health_checks=False)
