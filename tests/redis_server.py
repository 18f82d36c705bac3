"""A Redis server of the test's own, on a free port, that a test can stop and start again (never
the machine's Redis, which other test runs share). Without redis-server installed the tests
that need it skip, or fail when REQUIRE_REDIS_SERVER=1 (CI)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis

from portal.celery import app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, directory):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - Debian's redis-server, our arguments
            [shutil.which("redis-server"), "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=0.5)


def _require_redis_server() -> None:
    if shutil.which("redis-server"):
        return
    if os.environ.get("REQUIRE_REDIS_SERVER") == "1":
        pytest.fail("redis-server is not installed, and REQUIRE_REDIS_SERVER=1 says these tests must run")
    pytest.skip("redis-server is not installed (apt-get install redis-server)")


@pytest.fixture
def own_redis(tmp_path, settings) -> Iterator[RedisServer]:
    """A running Redis of the test's own, used as the portal's cache."""
    _require_redis_server()
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.DegradingRedisCache",
            "LOCATION": server.url,
            "OPTIONS": settings.REDIS_SOCKET_OPTIONS,
        }
    }
    try:
        yield server
    finally:
        server.stop()


def _reset_broker_connections() -> None:
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def own_broker(own_redis) -> Iterator[RedisServer]:
    """The same Redis as the Celery broker, with tasks sent to it instead of run in-process."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=own_redis.url, task_always_eager=False)
    _reset_broker_connections()
    try:
        yield own_redis
    finally:
        app.conf.update(saved)
        _reset_broker_connections()


def queued_messages(server: RedisServer, queue: str = "celery") -> list[tuple[str, list]]:
    """The (task name, arguments) of every message waiting in the queue."""
    messages = []
    for raw in server.client().lrange(queue, 0, -1):
        message = json.loads(raw)
        body = json.loads(base64.b64decode(message["body"]))
        messages.append((message["headers"]["task"], body[0]))
    return messages
