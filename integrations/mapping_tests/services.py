"""Actions for mapping tests (the integration's "test methods") and their runs.

A test is a sample input record (and, for a child collection, its parent's) with the output the
template mapping must give. "Run all tests" of a version creates a MappingTestRun and hands it to
a Celery task once the transaction commits; the task (`run_mapping_tests`) evaluates the tests in
batches in the sandboxed child (integrations.formulas.run_mappings_isolated), compares each
output with the expected one and stores a result with the mapping revision it ran against.

Running a run twice (a redelivered task) adds nothing: a finished run is left alone, and a test
that already has a result in the run is not evaluated again. Only one run per version can be
queued or running: starting one locks the version row first.

A result's `ran_at` is when the run read the tests' values, under their row locks: an edit saved
after that has a later `updated_at`, so mapping_test_selectors.result_state no longer counts the
result (the test shows "not run since edited") until the next run."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from integrations.formulas import (
    InputError,
    MappingResult,
    NotRun,
    Runaway,
    Status,
    compare,
    load_sample,
    run_mappings_isolated,
)
from integrations.mapping_tests.selectors import full_message, tests_limit
from integrations.mappings.runner import spec_for, tables_for
from integrations.models import (
    Integration,
    IntegrationVersion,
    MappingTest,
    MappingTestResult,
    MappingTestRun,
    Outcome,
    RunStatus,
    TemplateMapping,
    TemplateMappingRow,
)
from integrations.tiers import engine as tiers
from integrations.workspace.freeze import refuse_if_frozen
from portal import jobs
from portal.models import User
from portal.services import ActionRefused, record

logger = logging.getLogger(__name__)

BATCH_SIZE = 20
TIME_LIMIT = 2.0
UNFINISHED = (RunStatus.QUEUED, RunStatus.RUNNING)
# A run still running this long after it started lost its worker for good (a redelivered message
# would have finished it by then: settings.JOB_ABANDONED_AFTER): it no longer blocks a new run.
# A queued run is never abandoned: the job sweep queues it again until a worker takes it.
ABANDONED_AFTER = timedelta(seconds=settings.JOB_ABANDONED_AFTER)
ABANDONED_MESSAGE = "This run stopped without finishing (the worker running it was lost). Run the tests again."
FAILED_MESSAGE = (
    "The tests could not be run because of an error on our side. It has been logged; please run them again later."
)
CAUSE_TESTS = "mapping tests changed"
CAUSE_RUN = "mapping tests ran"
CAUSE_RUN_FAILED = "mapping tests ran in part"


# How the trail counts a run's results: "4 passed, 1 failed, 0 ended in an error".
OUTCOME_WORDS = {Outcome.PASS: "passed", Outcome.FAIL: "failed", Outcome.ERROR: "ended in an error"}


def _audit(acting_user, integration: Integration, kind: str, target, within, comment: str = "", **labels) -> None:
    """An audit row in the integration owner's trail: `target` changed, within `within`."""
    record(
        actor=acting_user,
        kind=kind,
        organization=integration.owner,
        target=target,
        within=within,
        comment=comment,
        **labels,
    )


class MappingTestConflict(ActionRefused):
    """Someone saved the test after the person loaded it; `current` is the test as it is now."""

    def __init__(self, current: MappingTest):
        super().__init__(
            "Someone else saved this test while you were editing it. Their version is shown first; yours "
            "is kept in the form below: save again to put yours over theirs."
        )
        self.current = current


class InputRefused(ActionRefused):
    """A refusal about one input of a test; `field` names the form field it belongs next to."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def parse_inputs(*, sample: str, parent: str, expected: str) -> dict:
    """The three JSON texts as records; InputRefused names the field and what is wrong with it."""
    values = {}
    for key, label, text in (
        ("sample", "Sample input record", sample),
        ("parent", "Parent record", parent),
        ("expected", "Expected output", expected),
    ):
        if key == "parent" and not (text or "").strip():
            values[key] = None
            continue
        try:
            values[key] = load_sample(text)
        except InputError as error:
            raise InputRefused(f"{label}: {error}", key) from None
    return values


def _refuse_when_full(version: IntegrationVersion) -> None:
    """A run evaluates every test of the version in one task, under its time limit: the cap keeps
    a run well inside it."""
    if MappingTest.objects.filter(mapping__version=version).count() >= tests_limit():
        raise ActionRefused(full_message(version))


def _refuse_taken_name(mapping: TemplateMapping, name: str, exclude: MappingTest | None = None) -> None:
    taken = MappingTest.objects.filter(mapping=mapping).annotate(lower=Lower("name")).filter(lower=name.lower())
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise InputRefused(f"{mapping.name} already has a test named “{name}”.", "name")


def create_mapping_test(
    mapping: TemplateMapping,
    *,
    acting_user: User | None,
    name: str,
    description: str = "",
    sample: str,
    parent: str = "",
    expected: str,
) -> MappingTest:
    name = name.strip()
    if not name:
        raise InputRefused("Name the test.", "name")
    values = parse_inputs(sample=sample, parent=parent, expected=expected)
    with transaction.atomic():
        integration = Integration.objects.lock(mapping.version.integration)
        refuse_if_frozen(mapping.version)
        _refuse_when_full(mapping.version)
        _refuse_taken_name(mapping, name)
        test = MappingTest.objects.create(
            mapping=mapping, name=name, description=description, created_by=acting_user, **values
        )
        _audit(acting_user, integration, "mapping_test.created", test, mapping)
        tiers.recompute(integration, cause=CAUSE_TESTS)
    return test


def update_mapping_test(
    test: MappingTest,
    *,
    acting_user: User | None,
    name: str,
    description: str = "",
    sample: str,
    parent: str = "",
    expected: str,
    loaded_version: str = "",
) -> MappingTest:
    """Save the test's new values. Any change sets `updated_at`, so its earlier results stop
    counting (mapping_test_selectors.result_state) until the next run; saving the same values
    again (a second click) writes nothing. `loaded_version` (edit_version() of the test the form
    was loaded from) is the optimistic lock: a test saved since then is a MappingTestConflict."""
    name = name.strip()
    if not name:
        raise InputRefused("Name the test.", "name")
    values = {"name": name, "description": description, **parse_inputs(sample=sample, parent=parent, expected=expected)}
    with transaction.atomic():
        integration = Integration.objects.lock(test.mapping.version.integration)
        refuse_if_frozen(test.mapping.version)
        test = MappingTest.objects.select_for_update(of=("self",)).select_related("mapping").get(pk=test.pk)
        changed = [key for key, value in values.items() if _as_json(getattr(test, key)) != _as_json(value)]
        if not changed:
            return test
        if loaded_version and loaded_version != edit_version(test):
            raise MappingTestConflict(test)
        _refuse_taken_name(test.mapping, name, exclude=test)
        old_name = test.name
        for key in changed:
            setattr(test, key, values[key])
        test.updated_at = timezone.now()
        test.save(update_fields=[*changed, "updated_at"])
        _audit(
            acting_user,
            integration,
            "mapping_test.updated",
            test,
            test.mapping,
            comment="changed: " + ", ".join(_CHANGE_LABELS[key] for key in changed),
            from_state=old_name,
            to_state=test.name,
        )
        tiers.recompute(integration, cause=CAUSE_TESTS)
    return test


def edit_version(test: MappingTest) -> str:
    """What an edit form carries to notice a save made since it was loaded."""
    return test.updated_at.isoformat()


def _as_json(value) -> str:
    """Compared as JSON text: in Python 1 == 1.0 == True, which an expected output tells apart;
    keys sorted, as PostgreSQL's jsonb does not keep their order."""
    return json.dumps(value, sort_keys=True)


_CHANGE_LABELS = {
    "name": "name",
    "description": "flow it proves",
    "sample": "sample input record",
    "parent": "parent record",
    "expected": "expected output",
}


def delete_mapping_test(test: MappingTest, *, acting_user: User | None) -> None:
    with transaction.atomic():
        integration = Integration.objects.lock(test.mapping.version.integration)
        refuse_if_frozen(test.mapping.version)
        deleted, _ = MappingTest.objects.filter(pk=test.pk).delete()
        if deleted:
            _audit(acting_user, integration, "mapping_test.deleted", test, test.mapping)
            tiers.recompute(integration, cause=CAUSE_TESTS)


# --- Runs ------------------------------------------------------------------------------------


def start_mapping_test_run(version: IntegrationVersion, *, acting_user: User | None) -> MappingTestRun:
    """Queue a run of every test of every template mapping of the version."""
    with transaction.atomic():
        version = (
            IntegrationVersion.objects.select_for_update(of=("self",))
            .select_related("integration__owner")
            .get(pk=version.pk)
        )
        _fail_abandoned(MappingTestRun.objects.filter(version=version))
        if MappingTestRun.objects.filter(version=version, status__in=UNFINISHED).exists():
            raise ActionRefused("A run of this version's tests is already under way: wait for it to finish.")
        total = MappingTest.objects.filter(mapping__version=version).count()
        if not total:
            raise ActionRefused("This version has no mapping tests yet: add one on a template mapping's page.")
        run = MappingTestRun.objects.create(version=version, total=total, started_by=acting_user)
        _audit(
            acting_user,
            version.integration,
            "mapping_test_run.started",
            run,
            version,
            comment=f"{total} test{'s' if total != 1 else ''}",
        )
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_pk: int) -> bool:
    from integrations import tasks  # the task module imports this one

    return jobs.send(tasks.run_mapping_tests, run_pk)


def _fail_abandoned(runs) -> None:
    """Runs of `runs` still running long after they started lost their worker: each ends as
    FAILED with an audit row, unless it finished (or was taken again) in the meantime."""
    now = timezone.now()
    lost = runs.filter(status=RunStatus.RUNNING, started_at__lt=now - ABANDONED_AFTER)
    minutes = int(ABANDONED_AFTER.total_seconds() // 60)
    for run in lost.select_related("version__integration__owner").order_by("pk")[:100]:
        with transaction.atomic():
            failed = MappingTestRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING, started_at=run.started_at)
            if failed.update(status=RunStatus.FAILED, message=ABANDONED_MESSAGE, finished_at=now):
                comment = f"Its worker was lost: it was still running {minutes} minutes after it started."
                _audit(None, run.version.integration, "mapping_test_run.abandoned", run, run.version, comment=comment)


def sweep_runs() -> None:
    """The job sweep's part for test runs: a run lost with its worker is failed (it can be
    started again); a queued one whose message may have been lost is queued again."""
    _fail_abandoned(MappingTestRun.objects.all())
    waiting = MappingTestRun.objects.filter(
        status=RunStatus.QUEUED, created_at__lt=timezone.now() - jobs.requeue_after()
    )
    for pk in waiting.order_by("created_at").values_list("pk", flat=True)[:100]:
        if not _enqueue(pk):
            return  # the broker is away: the next sweep tries again


def run_mapping_tests(run_pk: int) -> MappingTestRun | None:
    """Evaluate the run's tests in batches and store their results. Returns None when the run had
    already finished (nothing is changed)."""
    takeable = jobs.claimable(queued=RunStatus.QUEUED, running=RunStatus.RUNNING)
    claimed = MappingTestRun.objects.filter(takeable, pk=run_pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    run = MappingTestRun.objects.select_related("version__integration").get(pk=run_pk)
    try:
        _run(run)
    except Exception:  # noqa: BLE001 - a run must end as FAILED, never stay RUNNING
        logger.exception("Mapping test run %s failed", run_pk)
        return _fail_run(run)
    with transaction.atomic():
        integration = Integration.objects.lock(run.version.integration)
        finished = MappingTestRun.objects.filter(pk=run_pk, status=RunStatus.RUNNING).update(
            status=RunStatus.DONE, done=run.results.count(), finished_at=timezone.now()
        )
        if finished:
            counts = {o: run.results.filter(outcome=o).count() for o in Outcome.values}
            _audit(
                run.started_by,
                integration,
                "mapping_test_run.finished",
                run,
                run.version,
                comment=", ".join(f"{n} {OUTCOME_WORDS[o]}" for o, n in counts.items()),
            )
            tiers.recompute(integration, cause=CAUSE_RUN)
    return MappingTestRun.objects.get(pk=run_pk)


def _fail_run(run: MappingTestRun) -> MappingTestRun:
    """End a run that raised as FAILED, with an audit row; only once, whichever attempt gets here first."""
    with transaction.atomic():
        integration = Integration.objects.lock(run.version.integration)
        failed = MappingTestRun.objects.filter(pk=run.pk, status__in=UNFINISHED).update(
            status=RunStatus.FAILED, message=FAILED_MESSAGE, finished_at=timezone.now()
        )
        run = MappingTestRun.objects.select_related("version__integration").get(pk=run.pk)
        if failed:
            _audit(
                None,
                integration,
                "mapping_test_run.failed",
                run,
                run.version,
                comment=f"An error on the portal's side stopped it after {run.done} of {run.total} tests (logged).",
            )
            # the batches stored before the error are results too, which the tier rules read
            tiers.recompute(integration, cause=CAUSE_RUN_FAILED)
    return run


def _specs(version: IntegrationVersion) -> tuple[dict[int, TemplateMapping], dict]:
    """The version's template mappings by pk and each one's MappingSpec, in two queries."""
    mappings = {m.pk: m for m in TemplateMapping.objects.filter(version=version)}
    rows: dict[int, list[TemplateMappingRow]] = {pk: [] for pk in mappings}
    for row in TemplateMappingRow.objects.filter(mapping__version=version).select_related("table"):
        rows[row.mapping_id].append(row)
    specs = {
        pk: spec_for(mapping, sorted(rows[pk], key=lambda r: (r.position, r.pk))) for pk, mapping in mappings.items()
    }
    return mappings, specs


def evaluate_mapping_tests(version: IntegrationVersion) -> list[tuple[MappingTest, MappingTestResult]]:
    """Every test of the version run afresh against its template mappings as they are now, in the
    sandboxed child, without storing anything: each test with an unsaved result (outcome, output,
    diff, error, and the mapping revision it ran against). For callers that keep their own record
    of the outcome, such as a certification request's checks."""
    tables = tables_for(version.integration)
    mappings, specs = _specs(version)
    tests = list(MappingTest.objects.filter(mapping__version=version).order_by("mapping__name", "name", "pk"))
    read_at = timezone.now()
    evaluated, timed_out = [], set()
    for start in range(0, len(tests), BATCH_SIZE):
        batch = tests[start : start + BATCH_SIZE]
        answers = _evaluate(batch, specs, tables, timed_out)
        for test, answer in zip(batch, answers, strict=True):
            test.mapping = mappings[test.mapping_id]
            evaluated.append((test, _result(None, test, answer, test.mapping.revision, read_at)))
    return evaluated


def _run(run: MappingTestRun) -> None:
    version = run.version
    tables = tables_for(version.integration)
    mappings, specs = _specs(version)
    already = set(run.results.values_list("test_id", flat=True))
    with transaction.atomic():
        # Locked while read, so an edit in flight commits first; one saved later is newer than read_at.
        loaded = MappingTest.objects.select_for_update(of=("self",)).filter(mapping__version=version).order_by("pk")
        tests = [t for t in loaded if t.pk not in already]
        read_at = timezone.now()
    MappingTestRun.objects.filter(pk=run.pk).update(done=len(already), total=len(already) + len(tests))
    timed_out: set[int] = set()
    for start in range(0, len(tests), BATCH_SIZE):
        batch = tests[start : start + BATCH_SIZE]
        answers = _evaluate(batch, specs, tables, timed_out)
        results = [
            _result(run, test, answer, mappings[test.mapping_id].revision, read_at)
            for test, answer in zip(batch, answers, strict=True)
        ]
        still_there = set(MappingTest.objects.filter(pk__in=[t.pk for t in batch]).values_list("pk", flat=True))
        kept = [result for result in results if result.test_id in still_there]  # a test may be deleted meanwhile
        MappingTestResult.objects.bulk_create(kept, ignore_conflicts=True)
        MappingTestRun.objects.filter(pk=run.pk).update(done=run.results.count())


def _evaluate(batch: list[MappingTest], specs: dict, tables: dict, timed_out: set[int]) -> list:
    """The batch's answers. A mapping whose test ran out of time (in this batch or an earlier one:
    `timed_out`, the mapping pks, grows) has its remaining tests answered NotRun, so a runaway
    formula costs TIME_LIMIT once per mapping, not once per test."""
    calls = [(specs[t.mapping_id], t.sample, t.parent, tables) for t in batch]
    groups = [t.mapping_id for t in batch]
    return run_mappings_isolated(calls, time_limit=TIME_LIMIT, groups=groups, timed_out=timed_out)


def _result(
    run: MappingTestRun | None, test: MappingTest, answer: MappingResult | Runaway | NotRun, revision: int, read_at
) -> MappingTestResult:
    made = MappingTestResult(run=run, test=test, mapping_revision=revision, ran_at=read_at)
    if isinstance(answer, NotRun):
        made.outcome, made.error = Outcome.ERROR, answer.message[:1].upper() + answer.message[1:] + "."
        return made
    if isinstance(answer, Runaway):
        made.outcome, made.error = Outcome.ERROR, f"Stopped: {answer.message}"
        return made
    if answer.status is Status.FAILED:
        errors = [f"{row.target}: {row.error}" for row in answer.failed_rows()]
        made.outcome = Outcome.ERROR
        made.error = "; ".join(filter(None, [answer.message, *errors])) or "The mapping failed this record."
        return made
    made.output = answer.output
    diffs = compare(test.expected, answer.output)
    made.diff = [{**asdict(d), "kind": d.kind.value} for d in diffs]
    made.outcome = Outcome.FAIL if diffs else Outcome.PASS
    if answer.status is Status.SKIPPED:
        made.error = "The mapping filter skipped this record."
    return made
