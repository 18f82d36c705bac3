"""Isolated runs: runaway formulas are stopped and reported, the caller stays healthy.

No timed assertions: limits are generous and the tests assert on the outcome only.
"""

import glob
import multiprocessing
import os
import threading

import pytest

from integrations.formulas import (
    MappingRow,
    MappingSpec,
    NotRun,
    RowKind,
    Runaway,
    Status,
    run_isolated,
    run_mappings_isolated,
)
from integrations.formulas import limits as formula_limits

# Exponential on "aaaa...!" yet not of a shape refused before running: overlapping alternatives.
SLOW = MappingSpec(rows=[MappingRow("X", RowKind.FORMULA, formula='regex_match(S, "(a|aa)*$")')])
SLOW_RECORD = {"S": "a" * 60 + "!"}
FINE = MappingSpec(rows=[MappingRow("Sku", RowKind.FORMULA, formula='"WEB" + SKU')])


def test_results_come_back_in_order_from_the_child():
    results = run_mappings_isolated([(FINE, {"SKU": "A"}, None, None), (FINE, {"SKU": "B"}, None, None)])

    assert [r.output for r in results] == [{"Sku": "WEBA"}, {"Sku": "WEBB"}]


def test_a_runaway_regex_is_stopped_and_the_next_records_still_run():
    results = run_mappings_isolated(
        [(FINE, {"SKU": "A"}, None, None), (SLOW, SLOW_RECORD, None, None), (FINE, {"SKU": "C"}, None, None)],
        time_limit=1.0,
    )

    assert results[1] == Runaway("time", "runaway formula: stopped after 1.0 s")
    assert results[0].status is results[2].status is Status.MAPPED
    assert results[2].output == {"Sku": "WEBC"}


def test_after_a_timeout_the_rest_of_its_group_is_not_run_and_other_groups_are():
    jobs = [(SLOW, SLOW_RECORD, None, None), (FINE, {"SKU": "B"}, None, None), (SLOW, SLOW_RECORD, None, None)]
    jobs.append((FINE, {"SKU": "D"}, None, None))
    timed_out = set()

    results = run_mappings_isolated(jobs, time_limit=0.5, groups=["slow", "slow", "slow", "fine"], timed_out=timed_out)

    assert isinstance(results[0], Runaway) and results[0].reason == "time"
    assert results[1] == results[2] == NotRun()  # same group: even a record that would be fine
    assert results[3].output == {"Sku": "WEBD"}
    assert timed_out == {"slow"}


def test_a_group_stopped_in_an_earlier_batch_is_not_run_again():
    [result] = run_mappings_isolated([(SLOW, SLOW_RECORD, None, None)], time_limit=30, groups=[7], timed_out={7})

    assert result == NotRun()
    assert result.message == "not run: an earlier test of this mapping timed out"


def test_a_runaway_memory_use_is_stopped_and_reported(monkeypatch):
    """With the text limit lifted (inherited by the child), "a" * 10**9 needs 1 GB: over 64 MB."""
    monkeypatch.setattr("integrations.formulas.operators.MAX_STRING_LENGTH", 10**10)
    monkeypatch.setattr(formula_limits, "MAX_STRING_LENGTH", 10**10)
    spec = MappingSpec(rows=[MappingRow("X", RowKind.FORMULA, formula='length("a" * 10**9)')])

    [result] = run_mappings_isolated([(spec, {}, None, None)], time_limit=30, memory_bytes=64 * 1024**2)

    assert result == Runaway("memory", "runaway formula: used too much memory (more than 64 MB)")


def test_a_child_that_dies_is_reported_not_awaited():
    [result] = run_isolated([lambda: os._exit(3)], time_limit=30)

    assert result == Runaway("crashed", "runaway formula: the evaluation process ended without an answer")


def test_the_cpu_limit_backstops_a_child_that_ignores_its_deadline():
    def spin():
        while True:
            pass

    [result] = run_isolated([spin], time_limit=1.0)

    assert result.reason == "time"


def test_the_caller_is_healthy_afterwards():
    before = _children()
    run_mappings_isolated([(SLOW, SLOW_RECORD, None, None)], time_limit=0.5)

    assert run_mappings_isolated([(FINE, {"SKU": "A"}, None, None)])[0].output == {"Sku": "WEBA"}
    # Every child it made was reaped (other children of this process, such as a browser
    # driver started by an earlier test in the same worker, are not ours to judge).
    assert _children() <= before


def _children() -> set[int]:
    pids = set()
    for task in glob.glob(f"/proc/{os.getpid()}/task/*/children"):
        with open(task) as listing:
            pids.update(int(pid) for pid in listing.read().split())
    return pids


def test_it_runs_inside_a_daemonic_process_such_as_a_celery_worker(monkeypatch):
    monkeypatch.setitem(multiprocessing.current_process()._config, "daemon", True)
    with pytest.raises(AssertionError, match="daemonic processes are not allowed to have children"):
        multiprocessing.get_context("fork").Process(target=print).start()

    results = run_mappings_isolated([(FINE, {"SKU": "A"}, None, None), (SLOW, SLOW_RECORD, None, None)], time_limit=1)

    assert results[0].output == {"Sku": "WEBA"} and results[1].reason == "time"


def test_it_runs_from_a_thread_such_as_the_dev_servers():
    answers = []
    thread = threading.Thread(
        target=lambda: answers.extend(run_mappings_isolated([(SLOW, SLOW_RECORD, None, None)], time_limit=0.5))
    )
    thread.start()
    thread.join(60)

    assert answers == [Runaway("time", "runaway formula: stopped after 0.5 s")]
