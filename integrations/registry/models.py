"""The registry, in the seed's words Developer / Application / Version.

The developer is the provider Organization (portal). It owns Applications; each Application
has ApplicationVersions, and the latest version is the one with the newest release date.
Anyone signed in may submit a version the list lacks (a VersionSubmission); staff verify it
before it joins the list.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone

from portal.models import LogoMixin, Organization, unique_slug

# The order that makes the first version the latest: newest release date, then the one added last.
LATEST_FIRST = ("-release_date", "-id")
FUTURE_RELEASE = "A version joins the list once it is released: the date cannot be in the future."


def latest_allowed_release_date() -> datetime.date:
    """A version dated later would show as the latest before it exists. A day of slack: it may
    already be tomorrow where the release happened."""
    return timezone.localdate() + datetime.timedelta(days=1)


class Category(models.TextChoices):
    ECOMMERCE = "ecommerce", "E-commerce"
    ERP = "erp", "ERP"
    CRM = "crm", "CRM"
    POINT_OF_SALE = "pos", "Point of sale"
    ACCOUNTING = "accounting", "Accounting"
    PAYMENTS = "payments", "Payments"
    MARKETING = "marketing", "Marketing automation"
    SHIPPING = "shipping", "Shipping and fulfilment"
    WAREHOUSE = "warehouse", "Warehouse management"
    PRODUCT_INFORMATION = "pim", "Product information"
    CUSTOMER_SERVICE = "helpdesk", "Customer service"
    OTHER = "other", "Other"


class ApplicationQuerySet(models.QuerySet):
    def published(self) -> "ApplicationQuerySet":
        return self.filter(is_published=True)

    def visible_to(self, organization: Organization | None) -> "ApplicationQuerySet":
        """Published applications, and the drafts of the organization the viewer acts for."""
        if organization is None:
            return self.published()
        return self.filter(Q(is_published=True) | Q(provider=organization))

    def with_latest_version(self) -> "ApplicationQuerySet":
        """Annotates latest_label, latest_release_date and version_count, in the same one query."""
        versions = ApplicationVersion.objects.filter(application=OuterRef("pk"))
        latest = versions.order_by(*LATEST_FIRST)
        count = versions.order_by().values("application").annotate(n=Count("pk")).values("n")
        return self.annotate(
            latest_label=Subquery(latest.values("label")[:1]),
            latest_release_date=Subquery(latest.values("release_date")[:1]),
            version_count=Coalesce(Subquery(count), 0),
        )


CATEGORY_LABELS = dict(Category.choices)


class Application(LogoMixin, models.Model):
    """A third-party product an integration connects to, e.g. Adobe's Magento."""

    LOGO_FOLDER = "applications"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    provider = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="applications", limit_choices_to={"is_provider": True}
    )
    name = models.CharField(max_length=120)
    website = models.URLField("product landing page", blank=True)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    description = models.TextField(blank=True, max_length=4000)
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Unpublished applications are drafts: only the provider's members see them.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "provider",
                Lower("name"),
                name="unique_application_name_per_provider",
                violation_error_message="This provider already has an application with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("application_detail", args=[self.slug])

    @property
    def category_label(self) -> str:
        """get_category_display without its per-call walk of the choices: lists show one a row."""
        return CATEGORY_LABELS.get(self.category, self.category)

    @classmethod
    def unique_slug_for(cls, name: str) -> str:
        return unique_slug(cls, name, fallback="application", max_length=60)

    def latest_version(self) -> "ApplicationVersion | None":
        return self.versions.order_by(*LATEST_FIRST).first()


class ApplicationVersion(models.Model):
    """A release of an application: "Open Source 2.4.x", "Customer API v3"."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(max_length=80)
    release_date = models.DateField()
    notes = models.TextField(blank=True, max_length=2000)
    source_url = models.URLField(
        "source URL", blank=True, max_length=500, help_text="Evidence that this version exists (from a submission)."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = list(LATEST_FIRST)
        indexes = [
            # An application's latest version (every list of applications shows it, the version
            # alerts compare with it) is the first entry of this index: no sort of its versions.
            models.Index("application", F("release_date").desc(), F("id").desc(), name="application_version_latest"),
        ]
        constraints = [
            models.UniqueConstraint(
                "application",
                Lower("label"),
                name="unique_version_label_per_application",
                violation_error_message="This application already has a version with this label.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.label}"


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


# The moves staff may make; a decided submission stays decided.
SUBMISSION_TRANSITIONS: dict[str, frozenset[str]] = {
    SubmissionStatus.PENDING: frozenset({SubmissionStatus.VERIFIED, SubmissionStatus.REJECTED}),
    SubmissionStatus.VERIFIED: frozenset(),
    SubmissionStatus.REJECTED: frozenset(),
}


class VersionSubmission(models.Model):
    """A version someone in the ecosystem knows of, with evidence, waiting for staff to verify it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="submissions")
    label = models.CharField(max_length=80)
    release_date = models.DateField()
    source_url = models.URLField("source URL", max_length=500)
    notes = models.TextField(blank=True, max_length=2000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="version_submissions"
    )
    submitted_for = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The organization the submitter was acting for.",
    )
    status = models.CharField(max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, help_text="Sent to the submitter with the decision.")
    version = models.ForeignKey(
        ApplicationVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "application",
                Lower("label"),
                condition=Q(status="pending"),
                name="one_pending_submission_per_version_label",
                violation_error_message="This version was already submitted and is waiting for review.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.label} ({self.get_status_display().lower()})"

    def may_become(self, status: str) -> bool:
        return status in SUBMISSION_TRANSITIONS[self.status]


# DOMAIN: integrators must correct an integration within 30 days of an API change taking effect.
API_CHANGE_CORRECTION_DAYS = 30
# A change recorded with a date further off than these is a typing mistake, not a plan.
API_CHANGE_LATEST_PAST_DAYS = 366
API_CHANGE_LATEST_FUTURE_DAYS = 2 * 366


class ApplicationApiChangeQuerySet(models.QuerySet):
    def to_correct(self, today: datetime.date) -> "ApplicationApiChangeQuerySet":
        """The changes whose correction deadline has not passed yet, and those overdue by at most
        another correction period: the ones an integrator still has to act on or hear about."""
        days = datetime.timedelta(days=API_CHANGE_CORRECTION_DAYS)
        return self.filter(effective_on__gte=today - days - days)


class ApplicationApiChange(models.Model):
    """A change to the application's own API, recorded by staff with the date it takes effect; the
    integrations of the application have API_CHANGE_CORRECTION_DAYS from then to correct."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="api_changes")
    summary = models.TextField(max_length=2000, help_text="What changes in the API, as integrators should read it.")
    effective_on = models.DateField("takes effect on")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ApplicationApiChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = "application API change"

    def __str__(self) -> str:
        return f"{self.application} API change of {self.effective_on.isoformat()}"

    @property
    def correct_by(self) -> datetime.date:
        return self.effective_on + datetime.timedelta(days=API_CHANGE_CORRECTION_DAYS)

    def days_left(self, today: datetime.date) -> int:
        """Days until the correction deadline; negative once it has passed."""
        return (self.correct_by - today).days
