"""The sandbox inbox: a signed URL where the third-party system sends test events for its webhook scopes."""

import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone

from integrations.workspace.models import Integration


class Inbox(models.Model):
    """The integration's sandbox inbox: a unique URL and its Standard Webhooks signing secret.
    After a rotation the previous secret is still accepted until previous_secret_expires_at."""

    integration = models.OneToOneField(Integration, on_delete=models.CASCADE, related_name="inbox")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    rotated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Inbox of {self.integration}"

    def get_absolute_url(self) -> str:
        return reverse("inbox_receive", args=[self.token])

    def secrets_in_force(self, now=None) -> list[str]:
        now = now or timezone.now()
        in_force = [self.secret]
        if self.previous_secret and self.previous_secret_expires_at and self.previous_secret_expires_at > now:
            in_force.append(self.previous_secret)
        return in_force


class InboxEvent(models.Model):
    """A verified test event for a declared scope. Only the newest 100 per integration are kept."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="inbox_events")
    webhook_id = models.CharField(max_length=200)
    scope = models.CharField(max_length=120)
    body = models.JSONField()
    sent_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            # A replayed webhook-id cannot be stored twice, even by two requests at once.
            models.UniqueConstraint(fields=["integration", "webhook_id"], name="one_event_per_webhook_id"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} ({self.webhook_id})"
