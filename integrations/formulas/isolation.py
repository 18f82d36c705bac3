"""Evaluating in a child process with a time limit and a memory limit.

The sandbox decides what a formula can reach, not how long it runs nor how much memory it
takes (a regular expression with overlapping alternatives, `(a|aa)*$`, backtracks for ages).
Previews and test runs therefore evaluate here: in a forked child under RLIMIT_AS (its memory
beyond what it inherited) and RLIMIT_CPU (a backstop), watched by the parent with a wall-clock
deadline per record. A record that overruns is reported as a Runaway and the child is killed;
the remaining records go on in a fresh child.

Why os.fork, as integrations/openapi/isolation.py explains: a Celery prefork worker is a
daemonic process and multiprocessing refuses to start children from one; a bare fork has no
such rule, shares the data copy-on-write (nothing is pickled on the way in) and costs about a
millisecond. The child sends one JSON line per record through a pipe (JSON, not pickle: the
parent never unpickles what a child that ran integrators' formulas wrote) and leaves with
os._exit, so it never runs the parent's atexit handlers nor closes its database connections.
That module's own helper is not reused because it has one fixed memory budget, no CPU limit and
one answer per child; the mechanism is the same.
"""

from __future__ import annotations

import json
import math
import os
import selectors
import signal
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from .limits import MEMORY_BYTES, TIME_LIMIT
from .mapping import MappingResult, MappingSpec, run_mapping

# Extra seconds a child may outlive its whole budget, should the parent die without reaping it.
_ORPHAN_GRACE = 10


@dataclass(frozen=True)
class Runaway:
    """A record whose evaluation was stopped: `reason` is "time", "memory" or "crashed"."""

    reason: str
    message: str

    @property
    def ok(self) -> bool:
        return False


@dataclass(frozen=True)
class NotRun:
    """A record left unevaluated: an earlier record of its group ran out of time, and every
    record of a group shares the formulas that did (one mapping's tests)."""

    message: str = "not run: an earlier test of this mapping timed out"

    @property
    def ok(self) -> bool:
        return False


Job = tuple[MappingSpec, dict, dict | None, dict[str, dict[str, str]] | None]


def run_mappings_isolated(
    jobs: Sequence[Job],
    *,
    time_limit: float = TIME_LIMIT,
    memory_bytes: int = MEMORY_BYTES,
    groups: Sequence[Hashable] | None = None,
    timed_out: set | None = None,
) -> list[MappingResult | Runaway | NotRun]:
    """run_mapping() for each (mapping, record, parent, tables), `time_limit` seconds per record.
    See run_isolated for `groups` and `timed_out`."""
    calls = [_mapping_call(*job) for job in jobs]
    answers = run_isolated(calls, time_limit=time_limit, memory_bytes=memory_bytes, groups=groups, timed_out=timed_out)
    return [a if isinstance(a, Runaway | NotRun) else MappingResult.from_dict(a) for a in answers]


def _mapping_call(mapping: MappingSpec, record: dict, parent: dict | None, tables: dict | None) -> Callable[[], Any]:
    return lambda: run_mapping(mapping, record, parent=parent, tables=tables).to_dict()


def run_isolated(
    calls: Sequence[Callable[[], Any]],
    *,
    time_limit: float = TIME_LIMIT,
    memory_bytes: int = MEMORY_BYTES,
    groups: Sequence[Hashable] | None = None,
    timed_out: set | None = None,
) -> list[Any]:
    """Each call's JSON-serialisable result, or a Runaway; in order. Never raises for a call.

    With `groups` (one per call), once a call runs out of time the later calls of its group are
    not run: each answers NotRun, so a group whose formulas run away costs `time_limit` once, not
    once per call. `timed_out` holds the groups already stopped (by an earlier batch) and gains
    those stopped here."""
    stopped = timed_out if timed_out is not None else set()
    results: list[Any] = [None] * len(calls)
    pending = list(range(len(calls)))
    while pending:
        if groups is not None:
            for index in (i for i in pending if groups[i] in stopped):
                results[index] = NotRun()
            pending = [i for i in pending if groups[i] not in stopped]
            if not pending:
                break
        if not hasattr(os, "fork"):  # pragma: no cover - Windows: in-process, without limits
            for index in pending:
                results[index] = _answer(calls[index])
            break
        child = _Child([calls[i] for i in pending], time_limit, memory_bytes)
        try:
            answers = child.collect()
        finally:
            child.kill()
        for index, answer in zip(pending, answers, strict=False):
            results[index] = answer
            if groups is not None and isinstance(answer, Runaway) and answer.reason == "time":
                stopped.add(groups[index])
        pending = pending[len(answers) :]
    return results


class _Child:
    def __init__(self, calls: Sequence[Callable[[], Any]], time_limit: float, memory_bytes: int) -> None:
        self.time_limit = time_limit
        self.memory_bytes = memory_bytes
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, measured by the tests' results
            os.close(read_fd)
            _run_child(calls, write_fd, time_limit, memory_bytes)
        os.close(write_fd)
        self.pid = pid
        self.read_fd = read_fd
        self.expected = len(calls)

    def collect(self) -> list[Any]:
        """Answers until every call answered, or the first runaway (which ends this child)."""
        answers: list[Any] = []
        buffer = b""
        deadline = time.monotonic() + self.time_limit
        with selectors.DefaultSelector() as selector:
            selector.register(self.read_fd, selectors.EVENT_READ)
            while len(answers) < self.expected:
                if not selector.select(max(0.0, deadline - time.monotonic())):
                    answers.append(self._timed_out())
                    return answers
                chunk = os.read(self.read_fd, 1 << 16)
                if not chunk:
                    answers.append(self._died())
                    return answers
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    answers.append(self._decode(json.loads(line)))
                    deadline = time.monotonic() + self.time_limit
        return answers

    def _decode(self, answer: dict) -> Any:
        if "ok" in answer:
            return answer["ok"]
        if answer.get("memory"):
            return self._memory()
        return Runaway("crashed", f"the evaluation failed unexpectedly ({answer.get('error', 'unknown')})")

    def _memory(self) -> Runaway:
        return Runaway("memory", f"runaway formula: used too much memory (more than {self.memory_bytes // 1024**2} MB)")

    def _timed_out(self) -> Runaway:
        return Runaway("time", f"runaway formula: stopped after {self.time_limit:.1f} s")

    def _died(self) -> Runaway:
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL, signal.SIGALRM):
            return self._timed_out()
        return Runaway("crashed", "runaway formula: the evaluation process ended without an answer")

    def kill(self) -> None:
        if self.pid:
            # Killing a child that already exited is harmless: it stays ours until reaped.
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0
        if self.read_fd >= 0:
            os.close(self.read_fd)
            self.read_fd = -1


def _answer(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except MemoryError:
        return Runaway("memory", "runaway formula: used too much memory")


def _run_child(calls, write_fd: int, time_limit: float, memory_bytes: int) -> None:  # pragma: no cover
    try:
        _limit_child(time_limit * len(calls), memory_bytes)
        for call in calls:
            try:
                answer = {"ok": call()}
            except MemoryError:
                answer = {"memory": True}
            except BaseException as exc:  # noqa: BLE001 - everything must reach the parent as an answer
                answer = {"error": type(exc).__name__}
            try:
                data = memoryview(json.dumps(answer).encode() + b"\n")
            except MemoryError:
                data = memoryview(b'{"memory": true}\n')
            while data:
                data = data[os.write(write_fd, data) :]
    finally:
        os._exit(0)


def _limit_child(budget: float, memory_bytes: int) -> None:  # pragma: no cover - runs in the child
    """Bound the child's own life, CPU and memory, whatever happens to the parent."""
    import resource

    seconds = math.ceil(budget) + 1
    try:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.signal(signal.SIGXCPU, signal.SIG_DFL)
        signal.alarm(seconds + _ORPHAN_GRACE)
    except ValueError:
        pass
    for limit, soft in ((resource.RLIMIT_CPU, seconds), (resource.RLIMIT_AS, _inherited_bytes() + memory_bytes)):
        try:
            _, hard = resource.getrlimit(limit)
            if hard == resource.RLIM_INFINITY or soft < hard:
                resource.setrlimit(limit, (soft, hard))
        except (OSError, ValueError):
            pass


def _inherited_bytes() -> int:  # pragma: no cover - runs in the child
    try:
        with open("/proc/self/statm") as statm:  # Linux; elsewhere the budget is absolute
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0
