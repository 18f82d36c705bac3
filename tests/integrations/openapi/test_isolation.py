"""The child process validation runs in: a result, a time limit, a failure, never a hang."""

import multiprocessing
import os
import time

import pytest

from integrations.openapi import analyse, isolation

from .builders import as_json, ok, swagger


def test_the_child_returns_its_result():
    assert isolation.start(lambda: {"pid": os.getpid()}, time_limit=5).wait()["pid"] != os.getpid()


def test_a_child_over_its_time_limit_is_killed():
    pending = isolation.start(lambda: time.sleep(120), time_limit=0.2)

    with pytest.raises(isolation.TimeLimitExceeded):
        pending.wait()


def test_an_exception_in_the_child_names_its_class_only():
    def fail():
        raise ValueError("secret detail")

    with pytest.raises(isolation.ChildFailed, match="^ValueError$"):
        isolation.start(fail, time_limit=5).wait()


def test_a_child_that_dies_is_a_failure_not_a_hang():
    with pytest.raises(isolation.ChildFailed):
        isolation.start(lambda: os._exit(3), time_limit=5).wait()


def test_cancelling_twice_is_harmless():
    pending = isolation.start(lambda: time.sleep(120), time_limit=5)

    pending.cancel()
    pending.cancel()


def test_without_a_time_limit_the_call_runs_in_process():
    assert isolation.start(os.getpid, time_limit=None).wait() == os.getpid()


def test_it_validates_inside_a_daemonic_process_such_as_a_celery_worker(monkeypatch):
    """multiprocessing refuses children to a daemon (billiard's prefork workers are daemons)."""
    monkeypatch.setitem(multiprocessing.current_process()._config, "daemon", True)
    with pytest.raises(AssertionError, match="daemonic processes are not allowed to have children"):
        multiprocessing.get_context("fork").Process(target=print).start()

    document = swagger({"/a": {"get": {"responses": ok({"type": "string", "nullable": True})}}})
    analysis = analyse(as_json(document), "api.json")

    assert [p.kind for p in analysis.errors] == ["schema"]


def test_an_answer_larger_than_the_pipe_is_collected_even_after_the_deadline():
    # Generous against a loaded machine: the child must have started writing before its limit.
    pending = isolation.start(lambda: "x" * 1_000_000, time_limit=2)
    time.sleep(3)  # the parent was busy elsewhere past the deadline; the child is blocked writing

    assert len(pending.wait()) == 1_000_000


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="the child's memory limit needs Linux's /proc")
def test_a_child_that_allocates_too_much_fails_with_memory_error():
    too_much = isolation.CHILD_MEMORY_BYTES + 512 * 1024**2

    with pytest.raises(isolation.ChildFailed, match="^MemoryError$"):
        isolation.start(lambda: len(bytearray(too_much)), time_limit=10).wait()
