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


class RefusalReason(models.TextChoices):
    """Why the inbox refused a delivery, in the words the inbox page shows."""

    BAD_SIGNATURE = "bad_signature", "Bad signature"
    TOO_OLD = "too_old", "Too old"
    REPLAY = "replay", "Replay"
    UNDECLARED_SCOPE = "undeclared_scope", "Undeclared scope"
    NOT_JSON = "not_json", "Not JSON"
    TOO_LARGE = "too_large", "Too large"
    RATE_LIMITED = "rate_limited", "Rate limited"
    MISSING_HEADERS = "missing_headers", "Headers missing"
    MALFORMED = "malformed", "Malformed request"


class InboxDelivery(models.Model):
    """One request to the inbox, verified or refused, as it arrived: its headers and the start of
    its body (integrations.inbox.deliveries says how much of each is kept, and for how long).
    A verified delivery lives as long as its event; a refused one for REFUSED_KEPT_DAYS."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="inbox_deliveries")
    received_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField()
    # Empty for a verified delivery.
    refusal_reason = models.CharField(max_length=20, choices=RefusalReason.choices, blank=True)
    detail = models.CharField(max_length=200, help_text="The short reason answered to the sender.")
    webhook_id = models.CharField(max_length=200, blank=True)
    scope = models.CharField(max_length=120, blank=True)
    headers = models.JSONField(default=list, help_text="[name, value] pairs, as received (capped).")
    body = models.TextField(blank=True, help_text="The start of the body, decoded as UTF-8 (capped).")
    body_size = models.PositiveIntegerField(default=0, help_text="Bytes received (or announced, when not read).")
    body_truncated = models.BooleanField(default=False)
    event = models.OneToOneField(InboxEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="delivery")

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["integration", "-received_at", "-id"], name="inbox_delivery_newest"),
            models.Index(fields=["refusal_reason", "received_at"], name="inbox_delivery_refused_age"),
        ]
        verbose_name_plural = "inbox deliveries"

    def __str__(self) -> str:
        return f"{self.status_code} {self.refusal_reason or 'verified'} ({self.received_at:%Y-%m-%d %H:%M:%S})"

    @property
    def is_verified(self) -> bool:
        return not self.refusal_reason
