"""The state of what the portal depends on, for GET /healthz."""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def _timed(fn) -> dict:
    started = time.monotonic()
    try:
        detail = fn()
        ok = True
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure, whatever it is
        detail, ok = f"{type(exc).__name__}: {exc}"[:200], False
    return {"ok": ok, "detail": detail, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache() -> str:
    key, value = f"healthz:{uuid.uuid4().hex}", "1"
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("value written to the cache could not be read back")
    cache.delete(key)
    return cache.__class__.__name__


def check_broker() -> str:
    """A connection from the app's pool, pinged: a probe every few seconds from a load balancer
    should not open (and tear down) a broker connection each time, and a pooled connection is not
    proof the broker is there now. A connection that failed is closed, so the next probe opens a
    fresh one once the broker is back."""
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL:
        return "in-process (no broker configured)"
    from portal.celery import app

    with app.pool.acquire(block=True, timeout=2) as conn:
        try:
            conn.ensure_connection(max_retries=1, timeout=2)
            client = getattr(conn.default_channel, "client", None)
            if client is not None:  # Redis: the transport's own client answers PING
                client.ping()
        except Exception:
            conn.close()
            raise
    return conn.transport_cls


def check_all() -> dict:
    return {"database": _timed(check_database), "cache": _timed(check_cache), "broker": _timed(check_broker)}
