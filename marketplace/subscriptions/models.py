"""A customer organization's subscription to an integration: the price agreed when it began, and how it ended."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from integrations.models import Integration, IntegrationVersion
from portal.models import Organization


class CancellationReason(models.TextChoices):
    TOO_EXPENSIVE = "too_expensive", "Too expensive"
    MISSING_FEATURES = "missing_features", "Missing features we need"
    NOT_WORKING = "not_working", "It did not work as described"
    SWITCHED = "switched", "We chose another integration"
    NO_LONGER_NEEDED = "no_longer_needed", "We no longer need it"
    OTHER = "other", "Another reason"


class SubscriptionQuerySet(models.QuerySet):
    def active(self) -> "SubscriptionQuerySet":
        return self.filter(cancelled_at__isnull=True)


class Subscription(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="subscriptions")
    integration = models.ForeignKey(Integration, on_delete=models.PROTECT, related_name="subscriptions")
    # The version and the price the customer confirmed; the integration's price may change later.
    version = models.ForeignKey(IntegrationVersion, on_delete=models.SET_NULL, null=True, related_name="+")
    price_up_front = models.DecimalField(max_digits=10, decimal_places=2)
    price_per_month = models.DecimalField(max_digits=10, decimal_places=2)
    subscribed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.CharField(max_length=20, choices=CancellationReason.choices, blank=True)
    cancellation_text = models.TextField(blank=True)
    # Set by the daily solicitation task when it asks for a review, so it asks once.
    review_requested_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "integration"],
                condition=Q(cancelled_at__isnull=True),
                name="one_active_subscription_per_org_and_integration",
            ),
        ]
        indexes = [
            # Each customer's subscriptions to an integration in time order: the scoring run finds
            # the customers who subscribed again (realigned) by reading this index in order, once.
            models.Index(fields=["integration", "organization", "started_at"], name="subscription_customer_times"),
            # The cancellations of a window (the scoring run's cancellation and misrepresentation
            # rules), from the index alone instead of every subscription.
            models.Index(
                fields=["cancelled_at"],
                include=["integration", "organization", "started_at"],
                condition=Q(cancelled_at__isnull=False),
                name="cancellations_by_moment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} to {self.integration}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None

    def duration(self, now=None):
        return (self.cancelled_at or now or timezone.now()) - self.started_at
