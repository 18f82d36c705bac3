"""Integration declarations and their versions: one connector between iPaaS.com and one Application,
owned by one organization, released as IntegrationVersions."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from integrations.registry.models import Application, ApplicationVersion
from integrations.tiers.models import Tier
from portal.models import Organization, unique_slug

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
SCOPE = re.compile(r"^[a-z][a-z0-9_]*(?:[/.][a-z][a-z0-9_]*)+$")


def validate_semver(value: str) -> None:
    if not SEMVER.match(value):
        raise ValidationError("Use a semantic version such as 1.0.0 or 2.1.0-beta.1.")


def validate_scope(value: str) -> None:
    if not SCOPE.match(value):
        raise ValidationError(f"“{value}” is not a webhook scope: use resource/event, such as customer/created.")


def semver_key(value: str) -> tuple:
    """Orders versions as semantic versioning does: 1.10.0 after 1.9.0; a pre-release first."""
    match = SEMVER.match(value)
    if not match:
        return (-1, -1, -1, 0, value)
    major, minor, patch = (int(part) for part in match.groups())
    pre = value.split("+", 1)[0].partition("-")[2]
    return (major, minor, patch, 0 if pre else 1, pre)


def next_minor(number: str) -> str:
    """1.2.3 → 1.3.0: a proposal the integrator may change."""
    parts = number.split("-", 1)[0].split("+", 1)[0].split(".")
    if len(parts) == 3 and all(part.isdigit() for part in parts):
        return f"{parts[0]}.{int(parts[1]) + 1}.0"
    return ""


class IntegrationKind(models.TextChoices):
    DYNAMIC = "dynamic", "Dynamic (the API is described by an OpenAPI 2.0 document)"
    SDK = "sdk", "SDK (an accessible connector package)"


class NdaStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed"
    IN_PROGRESS = "in_progress", "Being signed"
    SIGNED = "signed", "Signed and retrieved"


class IntegrationQuerySet(models.QuerySet):
    def owned_by(self, organization: Organization | None) -> "IntegrationQuerySet":
        return self.filter(owner=organization) if organization else self.none()

    def lock(self, integration: "Integration") -> "Integration":
        """The integration re-read with its row locked (for the rest of the transaction), owner
        included: every action on an integration's declarations, mappings and tests takes this
        lock first, so two requests applying one change run one after the other."""
        return self.select_for_update(of=("self",)).select_related("owner").get(pk=integration.pk)


class Integration(models.Model):
    """What the integrator declares about the connector; the tier is computed, never typed in."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=100, unique=True)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="integrations")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="integrations")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=IntegrationKind.choices, default=IntegrationKind.DYNAMIC)
    # Event services and hosting models: booleans, so the marketplace can filter on them anywhere.
    has_hook = models.BooleanField("hook", default=False)
    has_queue = models.BooleanField("queue", default=False)
    has_event = models.BooleanField("event", default=False)
    hosts_multitenant_cloud = models.BooleanField("multitenant cloud", default=False)
    hosts_private_cloud = models.BooleanField("private cloud", default=False)
    hosts_on_premise = models.BooleanField("on-premise", default=False)
    description = models.TextField(blank=True, max_length=8000)
    features = models.TextField(blank=True, max_length=8000, help_text="One feature per line.")
    data_movement = models.TextField(
        blank=True, max_length=4000, help_text="Which data moves between the application and iPaaS.com, and which way."
    )
    workflow_documentation = models.TextField(
        blank=True, max_length=20000, help_text="The workflows the integration supports, step by step."
    )
    price_up_front = models.DecimalField(max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    price_per_month = models.DecimalField(max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    # The private partner brief: shown only to MiSPs and technology partners.
    brief_typical_market = models.TextField("typical market", blank=True, max_length=4000)
    brief_ideal_buyer = models.TextField("ideal buyer profile", blank=True, max_length=4000)
    brief_positioning = models.TextField("third-party product positioning", blank=True, max_length=4000)
    # Discovery notes: private to the owner and associated integrators.
    value_proposition = models.TextField(blank=True, max_length=4000)
    target_customers = models.TextField(blank=True, max_length=4000)
    business_logic = models.TextField("business logic and outcomes", blank=True, max_length=8000)
    known_gaps = models.TextField(blank=True, max_length=4000)
    nda_status = models.CharField("NDA status", max_length=12, choices=NdaStatus.choices, default=NdaStatus.NOT_NEEDED)
    contact_integrator = models.CharField("integrator / developer", max_length=200, blank=True)
    contact_third_party = models.CharField("upline for the third party", max_length=200, blank=True)
    contact_red_rook = models.CharField("upline for Red Rook", max_length=200, blank=True)
    # SDK integrations: the connector package.
    sdk_package = models.CharField("package name", max_length=200, blank=True)
    sdk_language = models.CharField("language", max_length=40, blank=True)
    sdk_url = models.URLField("repository or package URL", blank=True, max_length=500)
    sdk_version = models.CharField("connector version", max_length=40, blank=True)
    # Computed by integrations.tiers.engine and stored for listing and filtering.
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.NONE, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = IntegrationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("work_on_integration", "Work on the integration as an associated integrator")]
        indexes = [
            # The marketplace filters on the tier and sorts by these: with them in the index,
            # choosing a page of results reads the index alone, not the integrations' long texts.
            models.Index(
                fields=["tier", "id"],
                include=["name", "created_at", "price_per_month", "price_up_front"],
                name="integration_tier_sorts",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                name="unique_integration_name_per_owner",
                violation_error_message="This organization already has an integration with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("integration_detail", args=[self.slug])

    @classmethod
    def unique_slug_for(cls, name: str) -> str:
        return unique_slug(cls, name, fallback="integration", max_length=80)

    @property
    def event_services(self) -> list[str]:
        pairs = ((self.has_hook, "Hook"), (self.has_queue, "Queue"), (self.has_event, "Event"))
        return [label for flag, label in pairs if flag]

    @property
    def hosting_models(self) -> list[str]:
        pairs = (
            (self.hosts_multitenant_cloud, "Multitenant cloud"),
            (self.hosts_private_cloud, "Private cloud"),
            (self.hosts_on_premise, "On-premise"),
        )
        return [label for flag, label in pairs if flag]

    @property
    def feature_list(self) -> list[str]:
        return [line.strip() for line in self.features.splitlines() if line.strip()]

    @property
    def has_sdk_connector(self) -> bool:
        return bool(self.sdk_package and self.sdk_language and self.sdk_url)


class WebhookScope(models.Model):
    """A webhook scope the integration declares, e.g. customer/created; seen once a verified
    inbox event names it."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="scopes")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    first_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("integration", Lower("name"), name="unique_scope_per_integration")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_seen(self) -> bool:
        return self.first_seen_at is not None


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class IntegrationVersion(models.Model):
    """The integration's own release. Certification, tests and workflow templates belong here."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="versions")
    number = models.CharField("version", max_length=40, validators=[validate_semver])
    release_notes = models.TextField(blank=True, max_length=8000)
    supported_versions = models.ManyToManyField(
        ApplicationVersion,
        related_name="integration_versions",
        blank=True,
        verbose_name="supported application versions",
    )
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    ready_designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ready_designated_at = models.DateTimeField(null=True, blank=True)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.NONE, editable=False)
    # tiers.checklist_summary as tiers.recompute last evaluated it, with the tier (None until then).
    checklist = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "integration",
                "number",
                name="unique_version_number_per_integration",
                violation_error_message="This integration already has a version with this number.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.integration} {self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED
