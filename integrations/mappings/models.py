"""How an integration meets the common data model: its foreign data objects and webhook scopes
linked to MappingCollections, and the template mappings of its sandbox (per IntegrationVersion,
as certification and mapping tests are), with the translation tables they use.

Rows and mappings carry a `revision`: a row's revision is its optimistic lock (the editor posts
the revision it loaded, a save that finds another one is a conflict); a mapping's revision counts
every change to it or its rows, for the mapping tests that run against it."""

import re
import uuid

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from integrations.datamodel.models import MappingCollection
from integrations.formulas import RowKind
from integrations.workspace.models import Integration, IntegrationVersion, WebhookScope

FORMULA_MAX_LENGTH = 2000
ROW_KINDS = [
    (RowKind.FIELD.value, "Field to field"),
    (RowKind.FORMULA.value, "Dynamic formula"),
    (RowKind.STATIC.value, "Static value"),
    (RowKind.TRANSLATION.value, "Translation"),
]
TABLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_ -]{0,59}$")
TABLE_NAME_HELP = (
    "Start with a letter; then letters, digits, spaces, “_” or “-”. "
    'Formulas name it in lookup("Countries", Country, "").'
)


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


class Direction(models.TextChoices):
    TO_IPAAS = "to_ipaas", "To iPaaS"
    FROM_IPAAS = "from_ipaas", "From iPaaS"

    @property
    def opposite(self) -> "Direction":
        return Direction.FROM_IPAAS if self == Direction.TO_IPAAS else Direction.TO_IPAAS

    @property
    def name_part(self) -> str:
        """The direction as the mapping name convention writes it."""
        return "TO IPAAS" if self == Direction.TO_IPAAS else "FROM IPAAS"


class HttpMethod(models.TextChoices):
    GET = "GET", "GET"
    POST = "POST", "POST"
    PUT = "PUT", "PUT"
    PATCH = "PATCH", "PATCH"
    DELETE = "DELETE", "DELETE"


class SyncType(models.TextChoices):
    ADD = "add", "Add"
    MODIFY = "modify", "Modify"
    DELETE = "delete", "Delete"


class CollisionHandling(models.TextChoices):
    SKIP = "skip", "Skip the record"
    OVERWRITE = "overwrite", "Overwrite the existing record"
    MERGE = "merge", "Merge into the existing record"
    FAIL = "fail", "Fail the record"


class ForeignObjectLink(models.Model):
    """An accepted foreign data object's MappingCollection, and per direction the HTTP methods
    it uses; a direction with no methods is not supported."""

    foreign_object = models.OneToOneField(ForeignDataObject, on_delete=models.CASCADE, related_name="link")
    collection = models.ForeignKey(MappingCollection, on_delete=models.PROTECT, related_name="+")
    to_ipaas_methods = models.JSONField(default=list, blank=True)
    from_ipaas_methods = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.foreign_object} → {self.collection}"

    @property
    def directions(self) -> list[tuple[Direction, list[str]]]:
        pairs = ((Direction.TO_IPAAS, self.to_ipaas_methods), (Direction.FROM_IPAAS, self.from_ipaas_methods))
        return [(direction, methods) for direction, methods in pairs if methods]


class ScopeLink(models.Model):
    """A declared webhook scope's MappingCollection and direction."""

    scope = models.OneToOneField(WebhookScope, on_delete=models.CASCADE, related_name="link")
    collection = models.ForeignKey(MappingCollection, on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.scope} → {self.collection} ({self.get_direction_display()})"


class TranslationTable(models.Model):
    """Values of one system and what they are in the other (country codes, order statuses).
    `entries` is the ordered list of [from, to] pairs, without duplicate from-values."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="translation_tables")
    name = models.CharField(max_length=60)
    entries = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, max_length=4000)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("integration", Lower("name"), name="unique_table_name_per_integration")]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict[str, str]:
        return {key: value for key, value in self.entries}


class TemplateMapping(models.Model):
    """A template mapping collection: how records of one MappingCollection move in one direction,
    named "[APPLICATION] [DATA MODEL] [ADD/MODIFY/DELETE] [FROM/TO] IPAAS"."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(IntegrationVersion, on_delete=models.CASCADE, related_name="template_mappings")
    name = models.CharField(max_length=200)
    collection = models.ForeignKey(MappingCollection, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="parent template mapping",
    )
    direction = models.CharField(max_length=10, choices=Direction.choices)
    sync_type = models.CharField(max_length=10, choices=SyncType.choices)
    collision_handling = models.CharField(max_length=10, choices=CollisionHandling.choices)
    mapping_filter = models.TextField(blank=True, max_length=FORMULA_MAX_LENGTH)
    error_filter = models.TextField(blank=True, max_length=FORMULA_MAX_LENGTH)
    notes = models.TextField(blank=True, max_length=4000)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "version",
                Lower("name"),
                name="unique_mapping_name_per_version",
                violation_error_message="This version already has a template mapping with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TemplateMappingRow(models.Model):
    """One target field of a template mapping and where its value comes from (RowKind)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mapping = models.ForeignKey(TemplateMapping, on_delete=models.CASCADE, related_name="rows")
    target = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=ROW_KINDS)
    source = models.CharField(max_length=200, blank=True)
    formula = models.TextField(blank=True, max_length=FORMULA_MAX_LENGTH)
    value = models.TextField("static value", blank=True, max_length=FORMULA_MAX_LENGTH)
    table = models.ForeignKey(TranslationTable, on_delete=models.PROTECT, null=True, blank=True, related_name="rows")
    # Translation only: without a default, a value missing from the table fails the record.
    has_default = models.BooleanField(default=False)
    default = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    revision = models.PositiveIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["mapping", "target"], name="one_row_per_target")]

    def __str__(self) -> str:
        return f"{self.mapping}: {self.target}"
