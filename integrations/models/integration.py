"""Integrations: one connector between iPaaS.com and one Application, owned by one organization,
released as IntegrationVersions and climbing the tiers Compatible, Ready, Certified, One-Click."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from portal.models import Organization, unique_slug

from .registry import Application, ApplicationVersion

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


class Tier(models.IntegerChoices):
    """Ordered: an integration version's tier is the highest whose rules all pass."""

    NONE = 0, "Not yet Compatible"
    COMPATIBLE = 1, "Compatible"
    READY = 2, "Ready"
    CERTIFIED = 3, "Certified"
    ONE_CLICK = 4, "One-Click"


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
    # Computed by integrations.tiers and stored for listing and filtering.
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.NONE, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = IntegrationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("work_on_integration", "Work on the integration as an associated integrator")]

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


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Reading the document"
    DONE = "done", "Read"
    REFUSED = "refused", "Refused"
    FAILED = "failed", "Failed"


class OpenAPIImport(models.Model):
    """One uploaded OpenAPI document and what the analysis made of it. The integration's
    current document is its newest import that finished without being refused."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="openapi_imports")
    document = models.FileField(upload_to="openapi/%Y/%m/", max_length=200)
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, for the progress bar.")
    detected_version = models.CharField(max_length=20, blank=True)
    refused_reason = models.TextField(blank=True)
    error_count = models.PositiveIntegerField(default=0)
    analysis = models.JSONField(null=True, blank=True, help_text="integrations.openapi.Analysis.to_dict()")
    changes = models.JSONField(null=True, blank=True, help_text="What changed against the previous document.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} for {self.integration}"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED}

    @property
    def is_valid_openapi2(self) -> bool:
        return self.status == ImportStatus.DONE and self.detected_version == "2.0" and self.error_count == 0


class ObjectState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    DROPPED = "dropped", "Dropped"


class ForeignDataObject(models.Model):
    """A group of the third party's endpoints (its /customers paths, say), proposed by an
    OpenAPI import and accepted, renamed, merged or dropped by the integrator; or declared by hand
    (an SDK integration has no document; a document may not group an object well). Imports never
    touch a hand-declared object, whose key starts with DECLARED_KEY_PREFIX (import keys are slugs,
    without a colon)."""

    DECLARED_KEY_PREFIX = "declared:"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="foreign_objects")
    key = models.CharField(max_length=200, help_text="The tag or path segment the import grouped by.")
    name = models.CharField(max_length=120)
    state = models.CharField(max_length=10, choices=ObjectState.choices, default=ObjectState.PROPOSED)
    paths = models.JSONField(default=list, help_text='[{"path": "/customers", "methods": ["GET", "POST"]}]')
    schemas = models.JSONField(default=list, help_text="Schema summaries from the import.")
    missing_from_document = models.BooleanField(
        default=False, help_text="The current document no longer has these paths; kept because something uses it."
    )
    declared_by_hand = models.BooleanField(
        default=False, editable=False, help_text="Declared on the data model links page, not proposed by an import."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("integration", "key", name="unique_object_key_per_integration"),
            models.UniqueConstraint(
                "integration",
                Lower("name"),
                condition=models.Q(declared_by_hand=True),
                name="unique_declared_object_name_per_integration",
                violation_error_message="This integration already has a data object with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def operation_count(self) -> int:
        return sum(len(entry.get("methods", [])) for entry in self.paths)


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


class TierChange(models.Model):
    """Every change of an integration's tier: when, from, to, and what caused it."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="tier_changes")
    version = models.ForeignKey(IntegrationVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    to_tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    cause = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.integration}: {self.get_from_tier_display()} → {self.get_to_tier_display()}"
