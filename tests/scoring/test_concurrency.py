"""One scoring run at a time, proven on PostgreSQL with threads that start together."""

import threading

import pytest
from django.db import connection

from scoring.models import RunState, ScoreSnapshot, ScoringRun
from scoring.runs import services
from scoring.runs.lock import scoring_lock
from tests.concurrency import at_once, postgresql_only
from tests.factories import IntegrationFactory
from tests.scoring.world import DAY

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def test_two_starts_at_once_make_one_run_and_tell_the_other_a_run_is_going():
    IntegrationFactory()
    outcomes = at_once(lambda: services.start_run(day=DAY), lambda: services.start_run(day=DAY))
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["RunGoing", "ScoringRun"]
    assert ScoringRun.objects.count() == 1
    assert ScoreSnapshot.objects.count() == 1


def test_two_workers_given_the_same_run_score_it_once():
    IntegrationFactory()
    run = ScoringRun.objects.create(policy_id=services.ScoringPolicy.current().pk, day=DAY)
    outcomes = at_once(lambda: services.execute_run(run.pk), lambda: services.execute_run(run.pk))
    assert outcomes.count("done") == 1
    run.refresh_from_db()
    assert (run.state, run.attempts) == (RunState.DONE, 1)
    assert ScoreSnapshot.objects.count() == 1


def test_while_another_session_holds_the_lock_a_run_is_neither_started_nor_executed():
    run = ScoringRun.objects.create(
        policy_id=services.ScoringPolicy.current().pk, day=DAY, active=None, state=RunState.DONE
    )
    held, release = threading.Event(), threading.Event()

    def hold():
        with scoring_lock() as got:
            assert got
            held.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        held.wait(10)
        with pytest.raises(services.RunGoing, match="A scoring run is going"):
            services.start_run(day=DAY)
        ScoringRun.objects.filter(pk=run.pk).update(state=RunState.QUEUED)
        assert services.execute_run(run.pk) == "another worker holds the scoring lock"
    finally:
        release.set()
        holder.join()
    assert services.execute_run(run.pk) == "done"


def _paused_after_holding(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """The run pauses once it holds the integrations, before it writes: (held, release)."""
    held, release, real = threading.Event(), threading.Event(), services.held_integrations

    def holding():
        present = real()
        held.set()
        release.wait(10)
        return present

    monkeypatch.setattr(services, "held_integrations", holding)
    return held, release


def _in_thread(outcomes: dict, key: str, call) -> threading.Thread:
    def run():
        try:
            outcomes[key] = call()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_an_integration_deleted_while_a_run_writes_waits_for_it_and_leaves_no_snapshot(monkeypatch):
    integration = IntegrationFactory()
    run = ScoringRun.objects.create(policy_id=services.ScoringPolicy.current().pk, day=DAY)
    held, release = _paused_after_holding(monkeypatch)
    outcomes = {}
    writer = _in_thread(outcomes, "run", lambda: services.execute_run(run.pk))
    assert held.wait(10)
    deleter = _in_thread(outcomes, "deleted", lambda: type(integration).objects.filter(pk=integration.pk).delete()[0])
    deleter.join(0.5)
    waited = deleter.is_alive()  # the deletion waits for the write
    release.set()
    writer.join(10)
    deleter.join(10)
    assert waited and outcomes["run"] == "done" and outcomes["deleted"] > 0
    run.refresh_from_db()
    assert run.integrations_scored == 1
    assert not ScoreSnapshot.objects.filter(integration_id=integration.pk).exists()
