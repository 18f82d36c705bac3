"""The scoring policy: every number of the scoring rules, versioned. A policy row is never
changed once saved; editing it publishes a new version (services.publish_policy), and every run
and snapshot records the version it used."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

# The fields that carry the rules' numbers, in the order the admin shows them.
NUMBER_FIELDS = (
    "start",
    "floor",
    "version_relevance_deduction",
    "negative_review_deduction",
    "negative_review_cap",
    "response_window_days",
    "cancellation_deduction",
    "cancellation_window_days",
    "small_subscriber_threshold",
    "small_cancellation_count",
    "cancellation_percent",
    "misrepresentation_deduction",
    "misrepresentation_cap",
    "misrepresentation_window_months",
    "misrepresentation_min_months",
    "misrepresentation_max_months",
    "hide_threshold",
    "delisting_threshold",
    "solicitation_delay_days",
)


def _number(default: int, help_text: str, *, maximum: int = 1000) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        default=default, help_text=help_text, validators=[MinValueValidator(0), MaxValueValidator(maximum)]
    )


class ScoringPolicy(models.Model):
    version = models.PositiveIntegerField(unique=True, editable=False)
    start = _number(100, "Every integration starts at this score.", maximum=100)
    floor = _number(0, "No score goes below this.", maximum=100)
    version_relevance_deduction = _number(
        20, "When the newest published version does not support the application's latest version."
    )
    negative_review_deduction = _number(5, "For each negative review that counts.")
    negative_review_cap = _number(30, "At most this much for negative reviews together.")
    response_window_days = _number(14, "Days an integrator has to answer or dispute a negative review.", maximum=365)
    cancellation_deduction = _number(15, "When cancellations in the window are excessive.")
    cancellation_window_days = _number(90, "The window in which cancellations are counted.", maximum=3650)
    small_subscriber_threshold = _number(
        20,
        "Below this many subscribers at the window's start a count of cancellations is excessive; above, a share.",
    )
    small_cancellation_count = _number(5, "Cancellations that are excessive for a small integration.")
    cancellation_percent = _number(15, "Percentage of subscribers cancelling that is excessive.", maximum=100)
    misrepresentation_deduction = _number(5, "For each cancellation soon after subscribing.")
    misrepresentation_cap = _number(25, "At most this much for misrepresentation together.")
    misrepresentation_window_months = _number(12, "Months of cancellations looked at.", maximum=120)
    misrepresentation_min_months = _number(
        1, "A cancellation counts when it came more than this many months after subscribing …", maximum=120
    )
    misrepresentation_max_months = _number(7, "… and less than this many.", maximum=120)
    hide_threshold = _number(
        60, "Below this score the integration leaves search, the listing and the sitemap.", maximum=100
    )
    delisting_threshold = _number(40, "Below this score a delisting proposal goes to staff.", maximum=100)
    solicitation_delay_days = _number(
        30, "Days a paying subscriber is subscribed before being asked for a review.", maximum=3650
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "scoring policies"

    def __str__(self) -> str:
        return f"Scoring policy version {self.version}"

    @classmethod
    def current(cls) -> "ScoringPolicy":
        """The newest version; the defaults of DOMAIN.md become version 1 the first time it is asked."""
        policy = cls.objects.order_by("-version").first()
        if policy is None:
            policy, _ = cls.objects.get_or_create(version=1)
        return policy

    def numbers(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in NUMBER_FIELDS}

    def clean(self) -> None:
        negative = {name: "This cannot be negative." for name in NUMBER_FIELDS if (getattr(self, name) or 0) < 0}
        if negative:
            raise ValidationError(negative)
        errors = {**self._threshold_errors(), **self._window_and_cap_errors()}
        if errors:
            raise ValidationError(errors)

    def _threshold_errors(self) -> dict[str, str]:
        errors = {}
        if self.floor > self.start:
            errors["floor"] = "The floor cannot be above the start."
        for name in ("hide_threshold", "delisting_threshold"):
            if getattr(self, name) > self.start:
                errors[name] = f"A threshold cannot be above the start ({self.start})."
        if "delisting_threshold" not in errors and self.delisting_threshold > self.hide_threshold:
            errors["delisting_threshold"] = "The delisting threshold cannot be above the hide threshold."
        return errors

    def _window_and_cap_errors(self) -> dict[str, str]:
        windows = ("response_window_days", "cancellation_window_days", "misrepresentation_window_months")
        errors = {name: "A window cannot be 0." for name in windows if getattr(self, name) == 0}
        caps = (
            ("negative_review_cap", "negative_review_deduction"),
            ("misrepresentation_cap", "misrepresentation_deduction"),
        )
        for cap, each in caps:
            if getattr(self, cap) < getattr(self, each):
                errors[cap] = "A cap cannot be below one deduction."
        if self.small_cancellation_count == 0:
            errors["small_cancellation_count"] = "Excessive takes at least one cancellation."
        # At 0 an integration with no cancellation at all, or no subscriber, would count as excessive.
        if self.cancellation_percent == 0:
            errors["cancellation_percent"] = "Excessive takes a share above 0%."
        if self.small_subscriber_threshold == 0:
            errors["small_subscriber_threshold"] = "This takes at least one subscriber."
        if self.misrepresentation_max_months <= self.misrepresentation_min_months:
            errors["misrepresentation_max_months"] = "The upper bound must be above the lower one."
        return errors
