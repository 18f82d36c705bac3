"""A deduction's causes become the ids of their records (the rule says which kind), labelled by
the breakdown from the records; a snapshot's policy is its run's. What a run writes each night
shrinks tenfold (20 MB of labelled causes at 10,000 integrations), each snapshot has three indexes
and two foreign-key checks fewer (the integration's index is the start of the unique
(integration, day) one, runs are never deleted, (day, score) served no query), and each deduction
one index and its check of the snapshot (written with it, deleted before it). Numbers and causes
are kept as json, not jsonb: nothing queries inside them, and converting a night's to jsonb was
two thirds of the deductions' COPY."""

import django.db.models.deletion
from django.db import migrations, models

import scoring.runs.models

KINDS = {
    "version_relevance": "application_version",
    "negative_reviews": "review",
    "excessive_cancellations": "cancellation",
    "misrepresentation": "cancellation",
}


def _to_ids(apps, schema_editor):
    Deduction = apps.get_model("scoring", "Deduction")
    changed = []
    for deduction in Deduction.objects.only("causes", "realigned").iterator(chunk_size=2000):
        deduction.causes = [_id(cause) for cause in deduction.causes]
        deduction.realigned = [_id(cause) for cause in deduction.realigned]
        changed.append(deduction)
        if len(changed) == 2000:
            Deduction.objects.bulk_update(changed, ["causes", "realigned"])
            changed = []
    Deduction.objects.bulk_update(changed, ["causes", "realigned"])


def _id(cause):
    return cause["id"] if isinstance(cause, dict) else cause


def _to_labelled(apps, schema_editor):
    """Back to {"kind", "id", "label"}; the label names the record (its words are gone)."""
    Deduction = apps.get_model("scoring", "Deduction")
    for deduction in Deduction.objects.only("rule", "causes", "realigned").iterator(chunk_size=2000):
        kind = KINDS[deduction.rule]
        deduction.causes = [_labelled(kind, cause) for cause in deduction.causes]
        deduction.realigned = [_labelled(kind, cause) for cause in deduction.realigned]
        deduction.save(update_fields=["causes", "realigned"])


def _labelled(kind, cause):
    if isinstance(cause, dict):
        return cause
    return {"kind": kind, "id": cause, "label": f"{kind.replace('_', ' ')} {cause}"}


def _policy_from_run(apps, schema_editor):
    """Going back: the column the snapshots lose comes back filled from their runs."""
    ScoreSnapshot = apps.get_model("scoring", "ScoreSnapshot")
    ScoringRun = apps.get_model("scoring", "ScoringRun")
    ScoreSnapshot.objects.update(
        policy_id=models.Subquery(ScoringRun.objects.filter(pk=models.OuterRef("run_id")).values("policy_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0017_version_checklist_summary"),
        ("scoring", "0002_deduction_causes_lz4"),
    ]

    operations = [
        migrations.RunPython(_to_ids, _to_labelled),
        *(
            migrations.AlterField(model_name="deduction", name=name, field=scoring.runs.models.WrittenJSONField(default=kind))
            for name, kind in (("numbers", dict), ("causes", list), ("realigned", list))
        ),
        migrations.RemoveIndex(model_name="scoresnapshot", name="score_snapshot_day_score"),
        migrations.AddIndex(model_name="scoresnapshot", index=models.Index(fields=["day"], name="score_snapshot_day")),
        # Nullable first, so that going back can add the column again before filling it.
        migrations.AlterField(
            model_name="scoresnapshot",
            name="policy",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="scoring.scoringpolicy"
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, _policy_from_run),
        migrations.RemoveField(model_name="scoresnapshot", name="policy"),
        migrations.AlterField(
            model_name="deduction",
            name="snapshot",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="deductions",
                to="scoring.scoresnapshot",
            ),
        ),
        migrations.AlterField(
            model_name="scoresnapshot",
            name="integration",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="score_snapshots",
                to="integrations.integration",
            ),
        ),
        migrations.AlterField(
            model_name="scoresnapshot",
            name="run",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="snapshots",
                to="scoring.scoringrun",
            ),
        ),
    ]
