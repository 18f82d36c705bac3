"""Run a function in a forked child process under a wall-clock limit.

Validation is a third party's recursive code over an untrusted document; the limit makes a
pathological document cost at most `time_limit` seconds and never hang a web or Celery worker.

Why os.fork and not multiprocessing: in a Celery prefork worker the current process is a
daemonic billiard process, and multiprocessing refuses to start children from one ("daemonic
processes are not allowed to have children"). A bare fork has no such rule, shares the parsed
document copy-on-write instead of pickling it, and costs a few milliseconds (see
benchmarks/openapi_corpus.py). The child touches nothing but the data it was given, sends its
JSON result through a pipe and leaves with os._exit, so it never runs the parent's atexit
handlers nor closes the parent's database connections.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import time
from collections.abc import Callable
from typing import Any

# Extra seconds the child may outlive its limit before killing itself, should the parent die
# without reaping it.
_ORPHAN_GRACE = 10
# Seconds a finished child gets, after the deadline, to hand over the rest of its answer.
_DRAIN_GRACE = 0.1
# Memory a child may add to what it inherited; beyond it allocations fail with MemoryError
# instead of drawing the machine's out-of-memory killer onto the worker.
CHILD_MEMORY_BYTES = 2 * 1024**3


class TimeLimitExceeded(Exception):
    """The child did not finish in time; it has been killed."""


class ChildFailed(Exception):
    """The child died or raised; the message names the exception, never its text."""


class Pending:
    """A call started with `start()`: `wait()` for its result, `cancel()` when giving up."""

    def wait(self) -> Any:
        raise NotImplementedError

    def cancel(self) -> None:
        """Stop the call if it still runs. Safe to call twice and after wait()."""


class _InlineCall(Pending):
    """Where fork does not exist (Windows), run in-process without a limit."""

    def __init__(self, func: Callable[[], Any]) -> None:
        self._func = func

    def wait(self) -> Any:
        return self._func()


class _ForkedCall(Pending):
    def __init__(self, func: Callable[[], Any], time_limit: float) -> None:
        self._deadline = time.monotonic() + time_limit
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, measured by the tests' results
            os.close(read_fd)
            _run_child(func, write_fd, time_limit)
        os.close(write_fd)
        self._pid = pid
        self._read_fd = read_fd

    def wait(self) -> Any:
        try:
            data = self._read_all()
        finally:
            self.cancel()
        if not data:
            raise ChildFailed("the validation process ended without an answer")
        answer = json.loads(data)
        if "error" in answer:
            raise ChildFailed(answer["error"])
        return answer["ok"]

    def cancel(self) -> None:
        if self._pid:
            # Killing a child that already exited is harmless: it stays ours until reaped.
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = 0
            os.close(self._read_fd)

    def _read_all(self) -> bytes:
        chunks = []
        with selectors.DefaultSelector() as selector:
            selector.register(self._read_fd, selectors.EVENT_READ)
            while True:
                # Past the deadline, still take what the child is writing: its answer may have
                # been waiting, larger than the pipe's buffer, while the parent waited for
                # another child.
                remaining = max(_DRAIN_GRACE, self._deadline - time.monotonic())
                if not selector.select(remaining):
                    raise TimeLimitExceeded()
                chunk = os.read(self._read_fd, 1 << 16)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)


def start(func: Callable[[], Any], time_limit: float | None) -> Pending:
    """Start `func()` (which must return JSON-serialisable data) in a child process.

    With `time_limit=None`, or without os.fork, the call runs in-process when waited for.
    """
    if time_limit is None or not hasattr(os, "fork"):
        return _InlineCall(func)
    return _ForkedCall(func, time_limit)


def _run_child(func: Callable[[], Any], write_fd: int, time_limit: float) -> None:  # pragma: no cover
    try:
        _limit_child(time_limit)
        try:
            answer = {"ok": func()}
        except BaseException as exc:  # noqa: BLE001 - everything must reach the parent as an answer
            answer = {"error": type(exc).__name__}
        data = memoryview(json.dumps(answer).encode())
        while data:
            data = data[os.write(write_fd, data) :]
    finally:
        os._exit(0)


def _limit_child(time_limit: float) -> None:  # pragma: no cover - runs in the child
    """Bound the child's own life and memory, whatever happens to the parent."""
    try:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(int(time_limit) + _ORPHAN_GRACE)
    except ValueError:
        pass
    try:
        import resource

        with open("/proc/self/statm") as statm:  # Linux; elsewhere no memory limit
            inherited = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = inherited + CHILD_MEMORY_BYTES
        if hard == resource.RLIM_INFINITY or soft < hard:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ImportError, OSError, ValueError):
        pass
