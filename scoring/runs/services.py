"""The scoring run: queued (by beat every night, or by staff), claimed by one worker at a time,
computed as sets by the engine, then written whole in one transaction: the day's snapshots and
deductions replace any earlier ones of that day, each listing gets its score and visibility
through the marketplace, delisting proposals go to staff, and the run is marked done. A worker
killed before that commit leaves the day as it was; the run is claimed again and redone whole."""

import contextlib
import datetime
import gc
import logging
from collections.abc import Iterator

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from integrations.models import Integration
from marketplace.listings.models import Visibility
from marketplace.listings.services import set_scores_and_visibility
from portal import jobs
from portal.models import User
from portal.services import ActionRefused, record
from scoring.engine import Result, compute
from scoring.models import RunState, ScoringPolicy, ScoringRun
from scoring.runs.lock import lock_is_held_elsewhere, scoring_lock
from scoring.runs.proposals import propose_delistings
from scoring.runs.storage import delete_day, insert_day

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
WRITE_RETRIES = 3


class RunGoing(ActionRefused):
    """A run is queued or running: a second one is not started."""


def _going_message(run: ScoringRun) -> str:
    since = run.started_at or run.queued_at
    return f"A scoring run is going (the run of {run.day}, {run.get_state_display().lower()} since {since:%H:%M} UTC)."


def start_run(*, day: datetime.date | None = None, started_by: User | None = None) -> ScoringRun:
    """Queue a run of `day` (today) with the current policy; refused with RunGoing while another
    is queued or running. The task is sent once the run's row is committed."""
    from scoring import tasks

    with transaction.atomic():
        going = ScoringRun.objects.select_for_update().filter(active=True).first()
        if going is not None or lock_is_held_elsewhere():
            raise RunGoing(_going_message(going) if going else "A scoring run is going.")
        try:
            with transaction.atomic():
                run = ScoringRun.objects.create(
                    policy=ScoringPolicy.current(), day=day or timezone.now().date(), started_by=started_by
                )
        except IntegrityError as error:  # another start committed between our read and our insert
            raise RunGoing("A scoring run is going.") from error
        record(actor=started_by, kind="scoring_run.queued", target=run, comment=f"policy version {run.policy.version}")
        transaction.on_commit(lambda: jobs.send(tasks.execute_run, run.pk))
    return run


def _claimable() -> Q:
    """Queued, or running longer than any worker could (its worker is gone): redone whole."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.TASK_TIME_LIMIT)
    return Q(state=RunState.QUEUED) | Q(state=RunState.RUNNING, started_at__lt=cutoff)


def claim_run(run_id: int) -> ScoringRun | None:
    """Take the run for this worker with one conditional UPDATE: a duplicate message, or a second
    worker, takes nothing while it runs."""
    taken = ScoringRun.objects.filter(_claimable(), pk=run_id).update(
        state=RunState.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, phase="computing", error=""
    )
    return ScoringRun.objects.select_related("policy").get(pk=run_id) if taken else None


def execute_run(run_id: int) -> str:
    """What the task does: claim, compute, write. Answers what happened, for the worker's log."""
    with scoring_lock() as held:
        if not held:
            return "another worker holds the scoring lock"
        run = claim_run(run_id)
        if run is None:
            return "nothing to do: the run is done, failed or taken"
        try:
            with collector_paused():
                results = compute(run.policy, run.day)
                ScoringRun.objects.filter(pk=run.pk).update(integrations_total=len(results), phase="writing")
                write_run(run, results)
        except Exception as error:
            fail_run(run, error)
            raise
    return "done"


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a run computes and writes: the run builds some hundred
    thousand objects that hold no cycles, and the collector walking them, and every object the
    worker holds, again and again took up to a tenth of a run. Collected at the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def fail_run(run: ScoringRun, error: BaseException) -> None:
    logger.exception("Scoring run %s failed", run.pk)
    text = f"{type(error).__name__}: {error}"[:2000]
    ScoringRun.objects.filter(pk=run.pk).update(
        state=RunState.FAILED, active=None, finished_at=timezone.now(), phase="", error=text
    )
    record(actor=None, kind="scoring_run.failed", target=run, comment=text[:500])


def write_run(run: ScoringRun, results: dict[int, Result]) -> None:
    """The whole day in one transaction. An integration deleted meanwhile makes the insert fail
    (its foreign key): the write is tried again without it."""
    for attempt in range(WRITE_RETRIES):
        try:
            with transaction.atomic():
                _write(run, results)
            return
        except IntegrityError:
            if attempt == WRITE_RETRIES - 1:
                raise
            present = set(Integration.objects.filter(pk__in=list(results)).order_by().values_list("pk", flat=True))
            results = {pk: result for pk, result in results.items() if pk in present}


def held_integrations() -> set[int]:
    """The ids of every integration, each held until the transaction ends: none can be deleted
    meanwhile (on PostgreSQL a KEY SHARE lock: plain updates of an integration do not wait for
    it, an edit that locks the row FOR UPDATE waits for the write, a few tenths of a second; it
    does for the whole marketplace in one statement what a foreign key's check did row by row)."""
    if connection.vendor != "postgresql":
        return set(Integration.objects.order_by().values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Integration._meta.db_table} FOR KEY SHARE")  # noqa: S608
        return {pk for (pk,) in cursor.fetchall()}


def _write(run: ScoringRun, results: dict[int, Result]) -> None:
    policy = run.policy
    present = held_integrations()
    results = {pk: result for pk, result in results.items() if pk in present}
    visibilities = set_scores_and_visibility(
        {pk: _listing_change(policy, result) for pk, result in results.items()}, keep_delisted=True
    )
    delete_day(run.day)
    snapshots, deductions = insert_day(run, results, visibilities)
    proposals = propose_delistings(run, snapshots, visibilities)
    ScoringRun.objects.filter(pk=run.pk).update(
        state=RunState.DONE,
        active=None,
        finished_at=timezone.now(),
        phase="",
        integrations_scored=len(snapshots),
        deductions_count=deductions,
        hidden_count=sum(1 for v in visibilities.values() if v == Visibility.HIDDEN),
        listed_count=sum(1 for v in visibilities.values() if v == Visibility.LISTED),
        proposals_count=proposals,
    )


def _listing_change(policy: ScoringPolicy, result: Result) -> tuple[int, str, str]:
    if result.score < policy.hide_threshold:
        return result.score, Visibility.HIDDEN, f"score {result.score} is below {policy.hide_threshold}"
    return result.score, Visibility.LISTED, f"score {result.score} is at or above {policy.hide_threshold}"


def sweep_runs() -> None:
    """The job sweep's part: send again a run still queued (its message lost), and put back in the
    queue a run whose worker is certainly gone, up to MAX_ATTEMPTS; after that it fails."""
    from scoring import tasks

    now = timezone.now()
    abandoned = ScoringRun.objects.filter(state=RunState.RUNNING, started_at__lt=now - jobs.abandoned_after())
    for run in abandoned:
        if run.attempts >= MAX_ATTEMPTS:
            fail_run(run, RuntimeError(f"the run was interrupted {run.attempts} times"))
        else:
            ScoringRun.objects.filter(pk=run.pk, state=RunState.RUNNING).update(state=RunState.QUEUED, phase="")
            jobs.send(tasks.execute_run, run.pk)
    waiting = ScoringRun.objects.filter(state=RunState.QUEUED, queued_at__lt=now - jobs.requeue_after())
    for run_id in waiting.values_list("pk", flat=True):
        jobs.send(tasks.execute_run, run_id)


def score_nightly() -> ScoringRun | None:
    """Beat's nightly start; a run already going (two ticks at once, staff's run) is left alone."""
    try:
        return start_run()
    except RunGoing as going:
        logger.info("Nightly scoring not started: %s", going)
        return None
