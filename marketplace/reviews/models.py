"""Reviews by paying organizations, the integrator's answer and disputes, and flags for staff."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from integrations.models import Integration
from marketplace.reviews import windows
from portal.models import Organization

NEGATIVE_STARS = 2  # a review of this many stars or fewer is negative (DOMAIN.md)
MAX_REVIEW_LENGTH = 5000


def response_window() -> datetime.timedelta:
    return datetime.timedelta(days=windows.current().response_window_days)


class ReviewQuerySet(models.QuerySet):
    def public(self) -> "ReviewQuerySet":
        """What the integration's page shows and its rating counts: every review staff have not hidden."""
        return self.filter(hidden_at__isnull=True)

    def flagged(self) -> "ReviewQuerySet":
        """Reviews with flags waiting for a staff decision."""
        return self.filter(flagged_at__isnull=False)


class Review(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="reviews")
    integration = models.ForeignKey(Integration, on_delete=models.PROTECT, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    stars = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # When the reviewer subscribed again while this review was negative ("returned after evaluating alternatives").
    returned_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_edited_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Since when the oldest flag not yet decided waits (None: no flag waits); the staff queue's order.
    flagged_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    # Set when staff uphold flags: the review leaves the public page and the rating, the reason kept.
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_reason = models.TextField(blank=True, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # An integration's page of reviews, newest first: the first page reads ten entries
            # instead of sorting all of the integration's reviews joined to their disputes.
            models.Index(
                fields=["integration", "-created_at", "-id"],
                condition=Q(hidden_at__isnull=True),
                name="public_reviews_newest_first",
            ),
            # The negative reviews the nightly scoring run weighs, by integration and date, with the
            # columns it filters and joins the returning customers on: read from this index alone,
            # a tenth of the table (0.1-0.2 s of a run at a million reviews, where it read every
            # review or fetched every negative one).
            models.Index(
                fields=["integration", "created_at", "id"],
                include=["organization", "answered_at", "hidden_at"],
                condition=Q(stars__lte=NEGATIVE_STARS),
                name="negative_reviews_by_date",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "integration"], name="one_review_per_org_and_integration"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="review_stars_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ by {self.organization} on {self.integration}"

    @property
    def is_negative(self) -> bool:
        return self.stars <= NEGATIVE_STARS

    @property
    def response_deadline(self) -> datetime.datetime:
        return self.created_at + response_window()

    def in_response_window(self, now=None) -> bool:
        return (now or timezone.now()) < self.response_deadline

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def asks_for_comment(self) -> bool:
        """The reviewer came back after this negative review and has not revised it since."""
        return self.returned_at is not None and (self.edited_at is None or self.edited_at < self.returned_at)


class ReviewRevision(models.Model):
    """An earlier text of an edited review, kept when the review changes."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    stars = models.PositiveSmallIntegerField()
    text = models.TextField()
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"Earlier text of {self.review}"


class DisputeStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


DISPUTE_DECISIONS = {DisputeStatus.PENDING: {DisputeStatus.ACCEPTED, DisputeStatus.REJECTED}}


class Dispute(models.Model):
    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="dispute")
    reasoning = models.TextField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["raised_at", "id"]

    def __str__(self) -> str:
        return f"Dispute of {self.review} ({self.get_status_display().lower()})"

    @property
    def is_pending(self) -> bool:
        return self.status == DisputeStatus.PENDING


class FlagStatus(models.TextChoices):
    PENDING = "pending", "Waiting for staff"
    RESOLVED = "resolved", "Upheld: review hidden"
    DISMISSED = "dismissed", "Dismissed"


FLAG_DECISIONS = {FlagStatus.PENDING: {FlagStatus.RESOLVED, FlagStatus.DISMISSED}}


class ReviewFlag(models.Model):
    """Someone signed in says a review is abusive. The review's waiting flags go to the staff queue
    and are decided together: upheld (the review is hidden) or dismissed."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "flagged_by"], name="one_flag_per_person_and_review"),
        ]

    def __str__(self) -> str:
        return f"Flag on {self.review} by {self.flagged_by}"

    @property
    def is_pending(self) -> bool:
        return self.status == FlagStatus.PENDING
