"""Accounts and tenancy: who a person is, which organizations they act for, and the audit trail."""

import uuid

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from portal import audit


def unique_slug(model, text: str, *, fallback: str, max_length: int = 60) -> str:
    """A slug for `text` that no row of `model` has yet: "magento", then "magento-2", ..."""
    base = slugify(text)[:max_length] or fallback
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


SLUG_ATTEMPTS = 5


def save_with_unique_slug(instance, name: str) -> None:
    """Insert a new row under a slug no other row has (`unique_slug_for(name)` of its model).
    Finding a free slug and inserting are two statements, so a request creating a same-named row
    at the same moment can take the slug in between: the insert then fails on the unique index,
    and the slug is worked out again instead of answering 500."""
    model = type(instance)
    for attempt in range(SLUG_ATTEMPTS):
        instance.slug = model.unique_slug_for(name)
        try:
            with transaction.atomic():
                instance.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == SLUG_ATTEMPTS - 1 or not model.objects.filter(slug=instance.slug).exists():
                raise  # not (only) the slug: another constraint refused the row


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person. People sign in with their email address; there is no username."""

    username = None
    email = models.EmailField("email address", unique=True)
    name = models.CharField("full name", max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class OrganizationKind(models.TextChoices):
    PROVIDER = "provider", "Application provider"
    INTEGRATOR = "integrator", "Integrator"
    MISP = "misp", "MiSP"
    CUSTOMER = "customer", "Customer"


class LogoMixin(models.Model):
    """A logo, stored only as our own re-encoded renditions (portal.images), never as uploaded.

    The fields are not editable in forms or the admin: the only way in is a service that ran
    the upload through portal.images.check_image_upload."""

    LOGO_SIZES = {"logo": 256, "logo_small": 96}  # pixels square; pages show them at half size
    LOGO_FOLDER = "logos"  # where in the default storage; each model names its own

    logo = models.FileField(max_length=200, blank=True, editable=False)
    logo_small = models.FileField(max_length=200, blank=True, editable=False)

    class Meta:
        abstract = True

    def logo_names(self) -> list[str]:
        return [getattr(self, field).name for field in self.LOGO_SIZES if getattr(self, field)]

    @property
    def initials(self) -> str:
        """What a page shows where the logo would be, until there is one."""
        words = [word for word in str(self).replace("-", " ").split() if word[:1].isalnum()]
        return "".join(word[0] for word in words[:2]).upper() or "?"


class Organization(LogoMixin, models.Model):
    """A tenant: every piece of private data belongs to exactly one organization."""

    LOGO_FOLDER = "organizations"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    website = models.URLField(blank=True)
    # The public profile: a provider's page, an integrator's or MiSP's profile and widget.
    description = models.TextField(
        blank=True, max_length=1000, help_text="A few sentences about the organization, shown on its public pages."
    )
    contact_email = models.EmailField(blank=True)
    services_offered = models.TextField(blank=True, max_length=1000, help_text="One service per line.")
    is_provider = models.BooleanField("application provider", default=False)
    is_integrator = models.BooleanField("integrator", default=False)
    is_misp = models.BooleanField("MiSP", default=False)
    is_customer = models.BooleanField("customer", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # The organization as a django-guardian principal: per-object grants to another organization
    # (an associated integrator on an integration) are given to this group and checked against
    # the acting organization's group, so a grant never leaks into another tenant's session.
    permission_group = models.OneToOneField(
        "auth.Group", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="organization"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # Behind portal.services.create_organization's check: a double-clicked "create" never
            # makes two organizations of one name for one person.
            models.UniqueConstraint(
                Lower("name"),
                "created_by",
                name="unique_organization_name_per_creator",
                violation_error_message="You already created an organization with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_permission_group(self):
        """The group grants are given to; only reads. It is made with the organization
        (portal.signals). None only when someone deleted the group, and guardian's grants to it
        went with it, so "no group" is exactly "no grants"; the next grant makes it again."""
        return self.permission_group

    def ensure_permission_group(self):
        """The group, made if missing: when the organization is created, and by an action that is
        about to grant the organization something (never on a read path)."""
        from django.contrib.auth.models import Group

        if self.permission_group_id is None:
            group, _ = Group.objects.get_or_create(name=f"organization:{self.public_id}")
            Organization.objects.filter(pk=self.pk, permission_group__isnull=True).update(permission_group=group)
            self.refresh_from_db(fields=["permission_group"])
        return self.permission_group

    @property
    def kinds(self) -> list[str]:
        flags = {
            OrganizationKind.PROVIDER: self.is_provider,
            OrganizationKind.INTEGRATOR: self.is_integrator,
            OrganizationKind.MISP: self.is_misp,
            OrganizationKind.CUSTOMER: self.is_customer,
        }
        return [kind for kind, on in flags.items() if on]

    @property
    def kind_labels(self) -> list[str]:
        return [OrganizationKind(kind).label for kind in self.kinds]

    @property
    def has_public_profile(self) -> bool:
        return self.is_provider or self.is_integrator or self.is_misp

    @property
    def services_list(self) -> list[str]:
        return [line.strip() for line in self.services_offered.splitlines() if line.strip()]

    def set_kinds(self, kinds) -> None:
        kinds = set(kinds)
        self.is_provider = OrganizationKind.PROVIDER in kinds
        self.is_integrator = OrganizationKind.INTEGRATOR in kinds
        self.is_misp = OrganizationKind.MISP in kinds
        self.is_customer = OrganizationKind.CUSTOMER in kinds

    @classmethod
    def unique_slug_for(cls, name: str) -> str:
        return unique_slug(cls, name, fallback="organization", max_length=60)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


# Roles allowed to manage the organization's profile, members and invitations.
MANAGER_ROLES = frozenset({Role.OWNER, Role.ADMIN})


class Membership(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organization__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_user_and_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.get_role_display()})"

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGER_ROLES

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


class StaffDigest(models.Model):
    """One row per day the staff queues' digest went out: the daily task sends it at most once a
    day, however often it runs (a retry, a second beat)."""

    day = models.DateField(unique=True)
    overdue_count = models.PositiveIntegerField(help_text="Items that had waited too long that day.")
    recipient_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Staff digest of {self.day:%Y-%m-%d}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    REVOKED = "revoked", "Revoked"


class Invitation(models.Model):
    """An invitation to join an organization, sent to an email address as a signed link."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_email_and_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.organization}"

    def get_absolute_url(self) -> str:
        from portal.invitations import invitation_token

        return reverse("invitation_detail", args=[invitation_token(self)])

    @property
    def expires_at(self):
        return self.sent_at + timezone.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_open(self) -> bool:
        return self.status == InvitationStatus.PENDING and not self.is_expired


class AuditEvent(models.Model):
    """One recorded change: who did what (a kind of portal.audit's closed list), when, to which
    object and within which, from which state to which.

    The trail outlives what it tells of: the organization, the actor and both objects are kept as
    text beside their links, so an event still reads whole once any of them is deleted."""

    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    organization_name = models.CharField(max_length=120, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_name = models.CharField(max_length=254, blank=True)
    kind = models.CharField(max_length=60, choices=audit.kind_choices)
    # The object changed; every model it points at has an integer primary key.
    target_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_label = models.CharField(max_length=200, blank=True)
    # The object whose history the change also belongs to: the template mapping of a row.
    within_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    within_id = models.PositiveBigIntegerField(null=True, blank=True)
    within = GenericForeignKey("within_type", "within_id")
    within_label = models.CharField(max_length=200, blank=True)
    from_state = models.CharField(max_length=60, blank=True)
    to_state = models.CharField(max_length=60, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_event_target"),
            models.Index(fields=["within_type", "within_id"], name="audit_event_within"),
        ]

    def __str__(self) -> str:
        return self.sentence

    @property
    def sentence(self) -> str:
        """What happened, in words: "Alice added the row Email to Magento Customer ADD TO IPAAS"."""
        return audit.kind_to_show(self.kind).render(
            actor=self.actor_name,
            target=self.target_label,
            within=self.within_label,
            from_state=self.from_state,
            to_state=self.to_state,
            organization=self.organization_name,
        )


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not delivered"


class OutgoingEmail(models.Model):
    """Every email the portal sends, stored before it is sent, so a mail server that is down
    delays mail instead of losing it. portal.mail delivers and retries it."""

    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    subject = models.CharField(max_length=300)
    recipients = models.TextField(help_text="To, Cc and Bcc addresses, comma-separated.")
    message = models.JSONField(help_text="portal.mail.serialize() of the message.")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    retry_until = models.DateTimeField(help_text="After this, a failed attempt is the last one.")
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_email_due")]
        verbose_name = "outgoing email"

    def __str__(self) -> str:
        return f"{self.subject} to {self.recipients}"


class UsedFormToken(models.Model):
    """A create form's one-time token, once its submission created something: the same form sent
    again (a double click, a resubmit after "back") leads to what the first one created
    (portal.form_tokens)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="one_use_per_form_token")]

    def __str__(self) -> str:
        return f"{self.token} of {self.user_id}"
