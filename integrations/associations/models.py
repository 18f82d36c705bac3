"""Integrators associated with an integration (a per-object grant through django-guardian)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from integrations.workspace.models import Integration
from portal.models import Organization


class AssociationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the owner"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ENDED = "ended", "Ended by the owner"


class Association(models.Model):
    """An integrator organization asking to work on another organization's integration. Accepted
    ones hold a django-guardian grant and show on the integration's page."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="associations")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="associations")
    message = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=AssociationStatus.choices, default=AssociationStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "organization"],
                condition=models.Q(status__in=["pending", "accepted"]),
                name="one_open_association_per_org_and_integration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} on {self.integration}"
