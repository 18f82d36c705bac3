"""A workflow template for one certified IntegrationVersion, and the states it moves through."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from integrations.models import IntegrationVersion
from portal.models import Organization


class TemplateStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


# The moves a workflow template may make; anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    TemplateStatus.SUBMITTED: frozenset({TemplateStatus.APPROVED, TemplateStatus.REJECTED}),
    TemplateStatus.APPROVED: frozenset(),
    TemplateStatus.REJECTED: frozenset(),
}
# Waiting for staff or approved: a version has one of these per name.
LIVE = (TemplateStatus.SUBMITTED, TemplateStatus.APPROVED)


class WorkflowTemplateQuerySet(models.QuerySet):
    def approved(self) -> "WorkflowTemplateQuerySet":
        return self.filter(status=TemplateStatus.APPROVED)

    def waiting(self) -> "WorkflowTemplateQuerySet":
        return self.filter(status=TemplateStatus.SUBMITTED)


class WorkflowTemplate(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(IntegrationVersion, on_delete=models.PROTECT, related_name="workflow_templates")
    # Who submitted it: whose members are told of the decision, whose staff members may not decide.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="workflow_templates")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=4000)
    setup_notes = models.TextField("setup notes for the customer", max_length=4000, blank=True)
    # The trigger and the steps, as definition.Definition.as_json() writes them.
    definition = models.JSONField()
    status = models.CharField(max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.SUBMITTED)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_comment = models.TextField(blank=True, max_length=4000)
    # The template of an earlier version this one was carried over from, when a new version started.
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    objects = WorkflowTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "version",
                Lower("name"),
                condition=models.Q(status__in=LIVE),
                name="one_live_workflow_template_name_per_version",
                violation_error_message="This version already has a workflow template with this name.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    def may_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    @property
    def is_approved(self) -> bool:
        return self.status == TemplateStatus.APPROVED

    @property
    def trigger(self) -> dict:
        return self.definition.get("trigger", {})

    @property
    def steps(self) -> list[dict]:
        return self.definition.get("steps", [])
