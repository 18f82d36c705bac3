"""The tiers an integration climbs (Compatible, Ready, Certified, One-Click) and the record of every change."""

from django.db import models
from django.utils import timezone


class Tier(models.IntegerChoices):
    """Ordered: an integration version's tier is the highest whose rules all pass."""

    NONE = 0, "Not yet Compatible"
    COMPATIBLE = 1, "Compatible"
    READY = 2, "Ready"
    CERTIFIED = 3, "Certified"
    ONE_CLICK = 4, "One-Click"


class TierChange(models.Model):
    """Every change of an integration's tier: when, from, to, and what caused it."""

    integration = models.ForeignKey("Integration", on_delete=models.CASCADE, related_name="tier_changes")
    version = models.ForeignKey(
        "IntegrationVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    to_tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    cause = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.integration}: {self.get_from_tier_display()} → {self.get_to_tier_display()}"
