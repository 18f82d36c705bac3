"""Certification requests: a member of an integration's owner asks Red Rook to certify one
IntegrationVersion; the automated checks run, then staff (or the automation, for a
re-certification) decide. Every move is a RequestTransition row: who, when, from, to, comment."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from integrations.models import IntegrationVersion
from portal.models import Organization


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The moves a request may make; anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.SUBMITTED: frozenset(
        {RequestStatus.APPROVED, RequestStatus.CHANGES_REQUESTED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN}
    ),
    RequestStatus.CHANGES_REQUESTED: frozenset({RequestStatus.SUBMITTED, RequestStatus.WITHDRAWN}),
    RequestStatus.APPROVED: frozenset(),
    RequestStatus.REJECTED: frozenset(),
    RequestStatus.WITHDRAWN: frozenset(),
}
# Not decided yet: a version has at most one of these.
OPEN = (RequestStatus.SUBMITTED, RequestStatus.CHANGES_REQUESTED)
# The version's template mappings, tests and the integration's declarations stay as reviewed.
FROZEN = (*OPEN, RequestStatus.APPROVED)


class ChecksStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Could not finish"


class CertificationRequestQuerySet(models.QuerySet):
    def open(self) -> "CertificationRequestQuerySet":
        return self.filter(status__in=OPEN)

    def frozen(self) -> "CertificationRequestQuerySet":
        return self.filter(status__in=FROZEN)

    def of_organization(self, organization: Organization | None) -> "CertificationRequestQuerySet":
        return self.filter(organization=organization) if organization else self.none()


class CertificationRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(IntegrationVersion, on_delete=models.PROTECT, related_name="certification_requests")
    # The integration's owner when the request was made: whose members are told, who may not decide.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="certification_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    message = models.TextField("message to the reviewers", max_length=4000, blank=True)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    checks_status = models.CharField(max_length=10, choices=ChecksStatus.choices, default=ChecksStatus.QUEUED)
    checks_total = models.PositiveIntegerField(default=0)
    checks_done = models.PositiveIntegerField(default=0)
    checks_failed = models.PositiveIntegerField(default=0)
    # Raised at every submit: the checks of an earlier round are replaced, a late task changes nothing.
    round = models.PositiveIntegerField(default=1)
    # The version's mappings, tests, objects and scopes as submitted (requests.snapshot).
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    # At approval: what the Certified rules read of the integration's objects, scopes and links
    # (integrations.tiers.certified.declarations_document), so edits for a newer version leave
    # this version's tier alone.
    declarations = models.JSONField(default=dict, blank=True, editable=False)
    # Why the automation left a re-certification to staff (empty when it did not look at it).
    queue_reason = models.TextField(blank=True, max_length=2000)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by_automation = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CertificationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(status__in=OPEN),
                name="one_open_certification_request_per_version",
                violation_error_message="This version already has an open certification request.",
            )
        ]

    def __str__(self) -> str:
        return f"Certification of {self.version}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def checks_running(self) -> bool:
        return self.checks_status in (ChecksStatus.QUEUED, ChecksStatus.RUNNING)

    @property
    def checks_pass(self) -> bool:
        return self.checks_status == ChecksStatus.DONE and self.checks_failed == 0

    @property
    def checks_percent(self) -> int:
        if not self.checks_total:
            return 0 if self.checks_running else 100
        return min(100, round(100 * self.checks_done / self.checks_total))

    def may_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]


class RequestTransition(models.Model):
    """One change of a request's state; by a person, or by the automation (actor empty)."""

    request = models.ForeignKey(CertificationRequest, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=200, help_text="Kept for when the account is gone.")
    by_automation = models.BooleanField(default=False)
    from_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RequestStatus.choices)
    comment = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


class CheckOutcome(models.TextChoices):
    PASS = "pass", "Passed"
    FAIL = "fail", "Failed"


class CheckResult(models.Model):
    """One automated check of one round: its name, outcome, message and the evidence it read."""

    request = models.ForeignKey(CertificationRequest, on_delete=models.CASCADE, related_name="check_results")
    round = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)  # rule, mapping test, openapi, scope
    name = models.CharField(max_length=300)
    outcome = models.CharField(max_length=4, choices=CheckOutcome.choices)
    message = models.TextField(max_length=4000)
    evidence = models.JSONField(default=dict, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "round", "position"], name="one_result_per_check_and_round")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.outcome}"

    @property
    def passed(self) -> bool:
        return self.outcome == CheckOutcome.PASS
