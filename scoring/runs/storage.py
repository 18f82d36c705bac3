"""Writing a day's snapshots and deductions. On PostgreSQL by COPY: the deductions carry their
causes as JSON, and binding megabytes of it as query parameters (bulk_create) costs more than
computing every score; COPY streams the same rows in a fraction of that. Elsewhere bulk_create.
Either way inside the caller's transaction."""

from django.db import connection
from django.utils import timezone

from scoring.engine import Result
from scoring.engine.results import as_json
from scoring.models import Deduction, DelistingProposal, ScoreSnapshot, ScoringRun

SNAPSHOT_COLUMNS = ("id", "integration_id", "day", "run_id", "policy_id", "score", "visibility", "created_at")
DEDUCTION_COLUMNS = ("snapshot_id", "rule", "amount", "numbers", "causes", "realigned")


def delete_day(day) -> None:
    """The snapshots of `day` and their deductions, gone; a proposal keeps its place in the queue
    without the snapshot it came from. Plain statements: Django's delete loads every snapshot and
    deduction of the day first (to send their signals and cascade by hand), seconds at 10,000
    integrations, and nothing listens for these."""
    snapshots = f"SELECT id FROM {ScoreSnapshot._meta.db_table} WHERE day = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Deduction._meta.db_table} WHERE snapshot_id IN ({snapshots})", [day])  # noqa: S608
        cursor.execute(
            f"UPDATE {DelistingProposal._meta.db_table} SET snapshot_id = NULL WHERE snapshot_id IN ({snapshots})",  # noqa: S608
            [day],
        )
        cursor.execute(f"DELETE FROM {ScoreSnapshot._meta.db_table} WHERE day = %s", [day])  # noqa: S608


def insert_day(
    run: ScoringRun, results: dict[int, Result], visibilities: dict[int, str]
) -> tuple[list[ScoreSnapshot], int]:
    """The snapshots (with their ids) and the number of deductions written."""
    now = timezone.now()
    snapshots = [
        ScoreSnapshot(
            integration_id=pk,
            day=run.day,
            run=run,
            policy_id=run.policy_id,
            score=result.score,
            visibility=visibilities[pk],
            created_at=now,
        )
        for pk, result in results.items()
    ]
    if connection.vendor != "postgresql":
        ScoreSnapshot.objects.bulk_create(snapshots, batch_size=500)
        deductions = [
            Deduction(snapshot=s, **_deduction_values(d))
            for s in snapshots
            for d in results[s.integration_id].deductions
        ]
        Deduction.objects.bulk_create(deductions, batch_size=500)
        return snapshots, len(deductions)
    _reserve_ids(snapshots)
    return snapshots, _copy(snapshots, results)


def _deduction_values(deduction) -> dict:
    return {
        "rule": deduction.rule,
        "amount": deduction.amount,
        "numbers": deduction.numbers,
        "causes": list(deduction.causes),
        "realigned": list(deduction.realigned),
    }


def _reserve_ids(snapshots: list[ScoreSnapshot]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('scoring_scoresnapshot', 'id')) FROM generate_series(1, %s)",
            [len(snapshots)],
        )
        for snapshot, (pk,) in zip(snapshots, cursor.fetchall(), strict=True):
            snapshot.pk = pk


def _copy(snapshots: list[ScoreSnapshot], results: dict[int, Result]) -> int:
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
        with raw.copy(f"COPY scoring_scoresnapshot ({', '.join(SNAPSHOT_COLUMNS)}) FROM STDIN") as copy:
            for s in snapshots:
                copy.write_row(
                    (s.pk, s.integration_id, s.day, s.run_id, s.policy_id, s.score, s.visibility, s.created_at)
                )
        with raw.copy(f"COPY scoring_deduction ({', '.join(DEDUCTION_COLUMNS)}) FROM STDIN") as copy:
            for snapshot in snapshots:
                for d in results[snapshot.integration_id].deductions:
                    copy.write_row(
                        (
                            snapshot.pk,
                            d.rule,
                            d.amount,
                            as_json(d.numbers),
                            as_json(d.causes),
                            as_json(d.realigned),
                        )
                    )
                    count += 1
    return count
