"""Scoring runs, the dated snapshot of each integration's score with its deductions, and the
delisting proposals a run sends to staff."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from integrations.models import Integration
from scoring.policy.models import ScoringPolicy


class RunState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


ACTIVE_STATES = (RunState.QUEUED, RunState.RUNNING)


class ScoringRun(models.Model):
    policy = models.ForeignKey(ScoringPolicy, on_delete=models.PROTECT, related_name="runs")
    day = models.DateField()
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    # True while queued or running, None after: the unique constraint lets one run be active at a
    # time on every database (PostgreSQL also holds an advisory lock while it runs).
    active = models.BooleanField(null=True, default=True, editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=40, blank=True)
    integrations_total = models.PositiveIntegerField(default=0)
    integrations_scored = models.PositiveIntegerField(default=0)
    deductions_count = models.PositiveIntegerField(default=0)
    hidden_count = models.PositiveIntegerField(default=0)
    listed_count = models.PositiveIntegerField(default=0)
    proposals_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="one_active_scoring_run"),
        ]

    def __str__(self) -> str:
        return f"Scoring run of {self.day} ({self.get_state_display().lower()})"

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class ScoreSnapshot(models.Model):
    """An integration's score on a day. Its policy is its run's. Indexed only as it is read (by
    integration, and by day when a run replaces its day): each index is written for every
    integration every night."""

    # Looked up through one_score_snapshot_per_integration_and_day, which begins with it. Not
    # checked row by row by the database (10,000 checks cost 40 ms of every run): a run holds every
    # integration it writes for while it writes (services.held_integrations), and deleting an
    # integration waits for that write and takes its snapshots along (signals.py).
    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="score_snapshots", db_index=False, db_constraint=False
    )
    day = models.DateField()
    # Written only by its run, in the transaction that holds the run claimed; runs are never deleted
    # (the admin shows them read-only) and nothing looks snapshots up by run. So no index, and no
    # check of the run's row in the database: 10,000 checks of one row cost a tenth of a night's run.
    run = models.ForeignKey(
        ScoringRun, on_delete=models.CASCADE, related_name="snapshots", db_index=False, db_constraint=False
    )
    score = models.PositiveSmallIntegerField()
    # The listing's visibility the run left: listed, hidden or delisted (a staff decision it keeps).
    visibility = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "integration_id"]
        constraints = [
            models.UniqueConstraint(fields=["integration", "day"], name="one_score_snapshot_per_integration_and_day"),
        ]
        indexes = [models.Index(fields=["day"], name="score_snapshot_day")]

    def __str__(self) -> str:
        return f"{self.integration_id} scored {self.score} on {self.day}"

    @property
    def policy(self) -> ScoringPolicy:
        return self.run.policy


class Rule(models.TextChoices):
    VERSION_RELEVANCE = "version_relevance", "Version relevance"
    NEGATIVE_REVIEWS = "negative_reviews", "Negative reviews"
    EXCESSIVE_CANCELLATIONS = "excessive_cancellations", "Excessive cancellations"
    MISREPRESENTATION = "misrepresentation", "Misrepresentation"


class WrittenJSONField(models.JSONField):
    """JSON stored as it was written: PostgreSQL's json, not jsonb. Nothing queries inside a
    deduction's numbers and causes, and a night's run writes 3 MB of them: converting that to jsonb
    took two thirds of the deductions' COPY. Elsewhere a JSONField as any other."""

    def db_type(self, connection):
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        if value is not None and not isinstance(value, str):  # psycopg decodes json itself (jsonb Django does)
            return value
        return super().from_db_value(value, expression, connection)


# The kind of record a rule's causes are.
CAUSE_KINDS = {
    Rule.VERSION_RELEVANCE: "application_version",
    Rule.NEGATIVE_REVIEWS: "review",
    Rule.EXCESSIVE_CANCELLATIONS: "cancellation",
    Rule.MISREPRESENTATION: "cancellation",
}


class Deduction(models.Model):
    """One rule's deduction in a snapshot. causes lists the ids of the records that caused it, in
    the order of their dates: application versions, reviews or subscriptions (cancelled), as
    cause_kind says; realigned lists, the same way, the reviews and cancellations whose deduction a
    returning customer removed. The breakdown labels them from the records, so a record deleted
    since is shown as removed (and nothing a customer wrote outlives it here). A deduction whose
    causes were all realigned is kept with amount 0, so the breakdown can say so."""

    # Looked up through one_deduction_per_rule_and_snapshot, which begins with it. Written only with
    # its snapshot, in the same transaction, and deleted before it (runs.storage.delete_day; Django's
    # own cascade elsewhere): no check of the snapshot in the database, which cost as much as the
    # deductions' insert.
    snapshot = models.ForeignKey(
        ScoreSnapshot, on_delete=models.CASCADE, related_name="deductions", db_index=False, db_constraint=False
    )
    rule = models.CharField(max_length=30, choices=Rule.choices)
    amount = models.PositiveSmallIntegerField()
    numbers = WrittenJSONField(default=dict)
    causes = WrittenJSONField(default=list)
    realigned = WrittenJSONField(default=list)

    class Meta:
        ordering = ["snapshot", "rule"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "rule"], name="one_deduction_per_rule_and_snapshot")]

    def __str__(self) -> str:
        return f"-{self.amount} {self.get_rule_display().lower()}"

    @property
    def cause_kind(self) -> str:
        return CAUSE_KINDS[self.rule]

    @property
    def waived_by_realignment(self) -> bool:
        return self.amount == 0 and bool(self.realigned)


class ProposalState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELISTED = "delisted", "Delisted"
    DISMISSED = "dismissed", "Dismissed"


PROPOSAL_DECISIONS = {ProposalState.PENDING: {ProposalState.DELISTED, ProposalState.DISMISSED}}


class DelistingProposal(models.Model):
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="delisting_proposals")
    snapshot = models.ForeignKey(ScoreSnapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    run = models.ForeignKey(ScoringRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals")
    day = models.DateField()
    score = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=10, choices=ProposalState.choices, default=ProposalState.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration"],
                condition=Q(state="pending"),
                name="one_pending_delisting_proposal_per_integration",
            ),
        ]

    def __str__(self) -> str:
        return f"Delisting proposal for {self.integration} ({self.get_state_display().lower()})"
