"""Migration 0003 keeps every stored deduction: labelled causes become their ids, and going back
gives them their kind again; the snapshots' policy comes back from their runs."""

import datetime

import pytest
from django.db import connection

from scoring.models import Deduction, ScoringPolicy
from tests.factories import IntegrationFactory
from tests.migrations import migrate_to

BEFORE = [("scoring", "0002_deduction_causes_lz4")]
AFTER = [("scoring", "0003_causes_by_reference")]


def _column_type(column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'scoring_deduction'"
            " AND column_name = %s",
            [column],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_labelled_causes_become_their_ids_and_come_back_with_their_kind(whole_schema_after):
    integration = IntegrationFactory()
    policy = ScoringPolicy.current()
    old = migrate_to(BEFORE)
    run = old.get_model("scoring", "ScoringRun").objects.create(
        policy_id=policy.pk, day=datetime.date(2026, 6, 1), state="done", active=None
    )
    snapshot = old.get_model("scoring", "ScoreSnapshot").objects.create(
        integration_id=integration.pk, day=run.day, run=run, policy_id=policy.pk, score=90, visibility="listed"
    )
    old.get_model("scoring", "Deduction").objects.create(
        snapshot=snapshot,
        rule="negative_reviews",
        amount=10,
        numbers={"each": 5, "cap": 30, "count": 2},
        causes=[
            {"kind": "review", "id": 41, "label": "1-star review of 2026-04-01"},
            {"kind": "review", "id": 7, "label": "2-star review of 2026-05-01"},
        ],
        realigned=[{"kind": "review", "id": 3, "label": "1-star review of 2026-03-01"}],
    )

    migrate_to(AFTER)
    deduction = Deduction.objects.get()
    assert (deduction.causes, deduction.realigned, deduction.numbers) == (
        [41, 7],
        [3],
        {"each": 5, "cap": 30, "count": 2},
    )
    assert deduction.snapshot.policy == policy
    if connection.vendor == "postgresql":
        assert {_column_type(column) for column in ("numbers", "causes", "realigned")} == {"json"}

    back = migrate_to(BEFORE)
    deduction = back.get_model("scoring", "Deduction").objects.get()
    assert deduction.causes == [
        {"kind": "review", "id": 41, "label": "review 41"},
        {"kind": "review", "id": 7, "label": "review 7"},
    ]
    assert deduction.realigned == [{"kind": "review", "id": 3, "label": "review 3"}]
    assert back.get_model("scoring", "ScoreSnapshot").objects.get().policy_id == policy.pk
