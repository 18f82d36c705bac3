"""Django's Redis cache, made to degrade instead of raise when Redis is away.

The cache holds nothing that cannot be lost (sessions are in the database): when Redis does not
answer, a read is a miss, a write is dropped, and `add` (what allauth's rate limiter locks with)
answers "stored", so rate limits fail open for that moment instead of refusing everyone. Each
outage is logged once when it starts and once when Redis answers again. After a failure the
cache is not asked again for RETRY_AFTER seconds, so a Redis that hangs rather than refuses
costs one connect timeout per process, not one per cache call.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


class _Outage:
    """When the cache last failed, shared by the threads of one process."""

    def __init__(self):
        self.failed_at: float | None = None
        self.lock = threading.Lock()

    def skipping(self) -> bool:
        return self.failed_at is not None and time.monotonic() - self.failed_at < RETRY_AFTER

    def failed(self, operation: str, error: Exception) -> None:
        with self.lock:
            started = self.failed_at is None
            self.failed_at = time.monotonic()
        if started:
            logger.warning(
                "Cache unavailable (%s: %s): reads miss, writes are dropped and rate limits are not applied "
                "until it answers again",
                operation,
                error,
            )

    def answered(self) -> None:
        if self.failed_at is not None:
            with self.lock:
                self.failed_at = None
            logger.warning("Cache available again: rate limits apply again")


def _degrading(fallback):
    """Run the client call; on a Redis outage answer `fallback(*args)` instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args):
            if self.outage.skipping():
                return fallback(*args)
            try:
                answer = method(self, *args)
            except OUTAGE_ERRORS as error:
                self.outage.failed(method.__name__, error)
                return fallback(*args)
            self.outage.answered()
            return answer

        return wrapper

    return decorate


class DegradingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outage = _Outage()
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        """One redis client a connection pool, made the first time: Django makes a new one for
        every call, and building its table of reply handlers took half of each cache read. A
        client holds nothing but its pool, which hands each command a connection of its own, so
        threads share it."""
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    add = _degrading(lambda key, value, timeout: True)(RedisCacheClient.add)
    get = _degrading(lambda key, default: default)(RedisCacheClient.get)
    set = _degrading(lambda key, value, timeout: None)(RedisCacheClient.set)
    touch = _degrading(lambda key, timeout: False)(RedisCacheClient.touch)
    delete = _degrading(lambda key: False)(RedisCacheClient.delete)
    get_many = _degrading(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _degrading(lambda key: False)(RedisCacheClient.has_key)
    incr = _degrading(lambda key, delta: delta)(RedisCacheClient.incr)
    set_many = _degrading(lambda data, timeout: None)(RedisCacheClient.set_many)
    delete_many = _degrading(lambda keys: None)(RedisCacheClient.delete_many)
    clear = _degrading(lambda: False)(RedisCacheClient.clear)


class DegradingRedisCache(RedisCache):
    """settings.CACHES backend: RedisCache whose calls survive a Redis outage."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient
