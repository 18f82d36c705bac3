"""Writing a day's snapshots and deductions. On PostgreSQL the snapshots by one statement taking
their columns as arrays, and the deductions by COPY: they carry their numbers and causes as JSON,
and binding 10,000 rows of it as query parameters (bulk_create) cost more than computing every
score. Elsewhere bulk_create. Either way inside the caller's transaction."""

from django.db import connection
from django.utils import timezone

from scoring.engine import Result
from scoring.engine.results import as_json
from scoring.models import Deduction, DelistingProposal, ScoreSnapshot, ScoringRun

DEDUCTION_COLUMNS = ("snapshot_id", "rule", "amount", "numbers", "causes", "realigned")


def delete_day(day) -> None:
    """The snapshots of `day` and their deductions, gone; a proposal keeps its place in the queue
    without the snapshot it came from. Plain statements: Django's delete loads every snapshot and
    deduction of the day first (to send their signals and cascade by hand), seconds at 10,000
    integrations, and nothing listens for these."""
    _delete_snapshots("day = %s", day)


def delete_snapshots_of(integration_id: int) -> None:
    """Every snapshot of an integration and their deductions, gone, as delete_day does for a day."""
    _delete_snapshots("integration_id = %s", integration_id)


def _delete_snapshots(where: str, value) -> None:
    snapshots = f"SELECT id FROM {ScoreSnapshot._meta.db_table} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Deduction._meta.db_table} WHERE snapshot_id IN ({snapshots})", [value])  # noqa: S608
        cursor.execute(
            f"UPDATE {DelistingProposal._meta.db_table} SET snapshot_id = NULL WHERE snapshot_id IN ({snapshots})",  # noqa: S608
            [value],
        )
        cursor.execute(f"DELETE FROM {ScoreSnapshot._meta.db_table} WHERE {where}", [value])  # noqa: S608


# What insert_day answers: {integration id: (its snapshot's id, its score)}.
Written = dict[int, tuple[int, int]]


def insert_day(run: ScoringRun, results: dict[int, Result], visibilities: dict[int, str]) -> tuple[Written, int]:
    """The snapshots written and the number of deductions written."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        return _bulk_create(run, results, visibilities, now)
    # Rows, not model instances: building 10,000 snapshots cost more than writing them.
    integration_ids = list(results)
    ids = _insert_snapshots(
        run,
        integration_ids,
        [results[pk].score for pk in integration_ids],
        [visibilities[pk] for pk in integration_ids],
        now,
    )
    deductions = [
        (ids[integration_id], d.rule, d.amount, as_json(d.numbers), as_json(d.causes), as_json(d.realigned))
        for integration_id, result in results.items()
        for d in result.deductions
    ]
    _copy("scoring_deduction", DEDUCTION_COLUMNS, deductions)
    return {pk: (ids[pk], results[pk].score) for pk in integration_ids}, len(deductions)


def _insert_snapshots(run: ScoringRun, integration_ids: list[int], scores: list[int], visibilities: list[str], now):
    """{integration id: its snapshot's id}: one statement taking the columns as arrays, its ids
    returned, where reserving the ids first took as long as the COPY."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO scoring_scoresnapshot (integration_id, day, run_id, score, visibility, created_at)"
            " SELECT given.integration_id, %s, %s, given.score, given.visibility, %s"
            " FROM unnest(%s::bigint[], %s::smallint[], %s::text[]) AS given(integration_id, score, visibility)"
            " RETURNING integration_id, id",
            [run.day, run.pk, now, integration_ids, scores, visibilities],
        )
        return dict(cursor.fetchall())


def _bulk_create(run: ScoringRun, results: dict[int, Result], visibilities: dict[int, str], now) -> tuple[Written, int]:
    snapshots = ScoreSnapshot.objects.bulk_create(
        [
            ScoreSnapshot(
                integration_id=pk,
                day=run.day,
                run=run,
                score=result.score,
                visibility=visibilities[pk],
                created_at=now,
            )
            for pk, result in results.items()
        ],
        batch_size=500,
    )
    deductions = [
        Deduction(snapshot=s, **_deduction_values(d)) for s in snapshots for d in results[s.integration_id].deductions
    ]
    Deduction.objects.bulk_create(deductions, batch_size=500)
    return {s.integration_id: (s.pk, s.score) for s in snapshots}, len(deductions)


def _deduction_values(deduction) -> dict:
    return {
        "rule": deduction.rule,
        "amount": deduction.amount,
        "numbers": deduction.numbers,
        "causes": list(deduction.causes),
        "realigned": list(deduction.realigned),
    }


def _copy(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
