"""The run: snapshots per integration and day, thresholds written to the listings, proposals to
staff, one run at a time, and a day redone whole."""

import datetime
import gc

import pytest
from django.utils import timezone

from marketplace.listings.models import Listing, Visibility
from marketplace.listings.services import set_score_and_visibility
from scoring.models import DelistingProposal, ProposalState, RunState, ScoreSnapshot, ScoringRun
from scoring.policy.services import publish_policy
from scoring.runs import services
from tests.factories import IntegrationFactory
from tests.scoring.world import DAY, application_version, days_before_end, published_version, review

pytestmark = pytest.mark.django_db


def run_day(day=DAY):
    run = services.start_run(day=day)
    assert services.execute_run(run.pk) == "done"
    run.refresh_from_db()
    return run


def behind_with_reviews(reviews: int):
    """An integration behind on versions (-20) with `reviews` counted negative reviews (-5 each)."""
    integration = IntegrationFactory()
    application_version(integration.application, "2.5.x", DAY)
    published_version(integration)
    for _ in range(reviews):
        review(integration, created=days_before_end(30))
    return integration


def listing(integration) -> Listing:
    return Listing.objects.get(integration=integration)


def test_a_run_stores_a_snapshot_with_every_deduction_and_its_causes():
    integration = behind_with_reviews(2)
    run = run_day()
    snapshot = ScoreSnapshot.objects.get(integration=integration, day=DAY)
    assert (run.state, run.integrations_scored, run.policy.version) == (RunState.DONE, 1, 1)
    assert snapshot.score == 70
    assert {d.rule: (d.amount, len(d.causes)) for d in snapshot.deductions.all()} == {
        "version_relevance": (20, 1),
        "negative_reviews": (10, 2),
    }
    assert snapshot.deductions.get(rule="negative_reviews").numbers["each"] == 5


def test_running_twice_a_day_gives_the_same_result_and_one_snapshot():
    integration = behind_with_reviews(1)
    run_day()
    first = list(ScoreSnapshot.objects.filter(integration=integration).values_list("day", "score"))
    run_day()
    assert list(ScoreSnapshot.objects.filter(integration=integration).values_list("day", "score")) == first
    assert ScoreSnapshot.objects.count() == 1


def test_a_run_on_a_day_with_no_data_scores_nothing_and_ends_done():
    run = run_day()
    assert (run.state, run.integrations_scored, run.error) == (RunState.DONE, 0, "")


def test_below_the_hide_threshold_the_listing_is_hidden_and_at_it_listed_again():
    integration = behind_with_reviews(5)  # 100 - 20 - 25 = 55
    run_day()
    assert (listing(integration).visibility, listing(integration).score) == (Visibility.HIDDEN, 55)
    publish_policy({"negative_review_deduction": 4}, acting_user=None)  # 100 - 20 - 20 = 60
    run_day()
    assert (listing(integration).visibility, listing(integration).score) == (Visibility.LISTED, 60)


def test_below_the_delisting_threshold_one_proposal_waits_for_staff():
    integration = behind_with_reviews(6)
    publish_policy({"version_relevance_deduction": 50}, acting_user=None)  # 100 - 50 - 30 = 20
    run_day()
    run_day()
    proposal = DelistingProposal.objects.get(integration=integration)
    assert (proposal.state, proposal.score) == (ProposalState.PENDING, 20)


def test_a_dismissed_proposal_is_not_made_again_until_the_score_has_risen_and_fallen():
    integration = behind_with_reviews(6)
    publish_policy({"version_relevance_deduction": 50}, acting_user=None)
    run_day()
    DelistingProposal.objects.update(state=ProposalState.DISMISSED, decided_at=timezone.now())
    run_day(DAY + datetime.timedelta(days=1))
    assert DelistingProposal.objects.count() == 1
    ScoreSnapshot.objects.create(
        integration=integration,
        day=DAY + datetime.timedelta(days=2),
        run=ScoringRun.objects.first(),
        score=80,
        visibility=Visibility.LISTED,
    )
    run_day(DAY + datetime.timedelta(days=3))
    assert DelistingProposal.objects.filter(state=ProposalState.PENDING).count() == 1


def test_a_delisted_listing_stays_delisted_and_gets_its_score():
    integration = behind_with_reviews(0)
    set_score_and_visibility(integration, score=30, visibility=Visibility.DELISTED, cause="staff delisted it")
    run_day()
    assert (listing(integration).visibility, listing(integration).score) == (Visibility.DELISTED, 80)
    assert not DelistingProposal.objects.exists()


def test_a_second_start_is_told_a_run_is_going():
    services.start_run(day=DAY)
    with pytest.raises(services.RunGoing, match="A scoring run is going"):
        services.start_run(day=DAY)
    assert services.score_nightly() is None
    assert ScoringRun.objects.count() == 1


def test_a_run_already_done_is_not_done_again_by_a_duplicate_message():
    run = run_day()
    assert services.execute_run(run.pk) == "nothing to do: the run is done, failed or taken"


def test_a_run_whose_worker_died_is_redone_whole():
    integration = behind_with_reviews(1)
    run = services.start_run(day=DAY)
    # A worker took it and died before its commit: the run is running, nothing of the day written.
    ScoringRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING, started_at=timezone.now(), attempts=1)
    assert services.execute_run(run.pk) == "nothing to do: the run is done, failed or taken"
    ScoringRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    assert services.execute_run(run.pk) == "done"
    run.refresh_from_db()
    assert (run.state, run.attempts, run.active) == (RunState.DONE, 2, None)
    assert ScoreSnapshot.objects.get(integration=integration).score == 75


def test_the_sweep_puts_an_abandoned_run_back_and_fails_it_after_three_attempts():
    run = services.start_run(day=DAY)
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    ScoringRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING, started_at=long_ago, attempts=1)
    services.sweep_runs()
    run.refresh_from_db()
    assert run.state in {RunState.QUEUED, RunState.DONE}  # eager tasks run it at once
    ScoringRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING, started_at=long_ago, attempts=3, active=True)
    services.sweep_runs()
    run.refresh_from_db()
    assert (run.state, run.active) == (RunState.FAILED, None)
    assert "interrupted 3 times" in run.error


def test_an_error_is_recorded_on_the_run(monkeypatch):
    run = services.start_run(day=DAY)
    monkeypatch.setattr(services, "compute", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.execute_run(run.pk)
    run.refresh_from_db()
    assert (run.state, run.active) == (RunState.FAILED, None)
    assert "ZeroDivisionError" in run.error


def test_an_integration_deleted_during_the_run_is_left_out(monkeypatch):
    kept, gone = IntegrationFactory(), IntegrationFactory()
    compute = services.compute

    def compute_then_delete(*args):
        results = compute(*args)
        gone.delete()
        return results

    monkeypatch.setattr(services, "compute", compute_then_delete)
    run = run_day()
    assert run.state == RunState.DONE
    assert list(ScoreSnapshot.objects.values_list("integration_id", flat=True)) == [kept.pk]


def test_a_run_that_fails_while_writing_leaves_the_day_as_it_was(monkeypatch):
    integration = behind_with_reviews(1)
    run_day()
    review(integration, created=days_before_end(30))
    run = services.start_run(day=DAY)

    def killed(*args):
        raise RuntimeError("the worker died")

    monkeypatch.setattr(services, "propose_delistings", killed)
    with pytest.raises(RuntimeError):
        services.execute_run(run.pk)
    assert list(ScoreSnapshot.objects.values_list("score", flat=True)) == [75]
    assert listing(integration).score == 75


def test_beat_starts_the_nightly_run_through_the_task(settings):
    from celery import current_app

    from portal import jobs
    from scoring import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["score-integrations"]
    assert entry["task"] == "scoring.tasks.score_nightly" and entry["task"] in current_app.tasks
    assert services.sweep_runs in jobs._sweepers
    behind_with_reviews(0)
    tasks.score_nightly()  # its run queued; the test settings run the task at once on commit
    run = ScoringRun.objects.get()
    assert (run.day, run.started_by) == (timezone.now().date(), None)
    assert tasks.execute_run(run.pk) in {"done", "nothing to do: the run is done, failed or taken"}


def test_a_proposal_is_recorded_in_the_integrations_history():
    from portal.models import AuditEvent

    integration = behind_with_reviews(6)
    publish_policy({"version_relevance_deduction": 50}, acting_user=None)
    run_day()
    event = AuditEvent.objects.get(kind="delisting.proposed")
    assert (event.within_id, event.organization_id, event.comment) == (
        integration.pk,
        integration.owner_id,
        "score 20 is below 40",
    )


def test_the_cycle_collector_is_paused_while_a_run_computes_and_back_after_it(monkeypatch):
    seen, real = [], services.compute
    monkeypatch.setattr(services, "compute", lambda *args: seen.append(gc.isenabled()) or real(*args))
    run = services.start_run(day=DAY)
    assert services.execute_run(run.pk) == "done"
    assert seen == [False] and gc.isenabled()

    monkeypatch.setattr(services, "compute", lambda *args: 1 / 0)
    run = services.start_run(day=DAY)
    with pytest.raises(ZeroDivisionError):
        services.execute_run(run.pk)
    assert gc.isenabled()


def test_a_snapshot_written_after_a_deletion_collected_its_integration_goes_with_it():
    from django.db.models.deletion import Collector

    from scoring.models import Deduction

    integration = behind_with_reviews(0)  # deducted from for its versions: snapshot and deduction
    pk = integration.pk  # the deletion sets it to None
    run_day(DAY - datetime.timedelta(days=1))  # the night before
    collector = Collector(using="default")
    collector.collect([integration])  # what Django's delete reads before it deletes
    run_day()  # a run writes the day in between
    assert ScoreSnapshot.objects.filter(integration_id=pk).count() == 2 and Deduction.objects.exists()
    collector.delete()
    assert not ScoreSnapshot.objects.filter(integration_id=pk).exists()
    assert not Deduction.objects.filter(snapshot__integration_id=pk).exists()
