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
