"""Every model of the integrations app, re-exported from the capability that owns it, so Django finds
them all under the app label "integrations" and callers can import them from one place."""

from integrations.associations.models import Association, AssociationStatus
from integrations.datamodel.models import DataModelField, FieldType, MappingCollection
from integrations.inbox.models import Inbox, InboxEvent
from integrations.mapping_tests.models import MappingTest, MappingTestResult, MappingTestRun, Outcome, RunStatus
from integrations.mappings.models import (
    ROW_KINDS,
    CollisionHandling,
    Direction,
    ForeignDataObject,
    ForeignObjectLink,
    HttpMethod,
    ObjectState,
    ScopeLink,
    SyncType,
    TemplateMapping,
    TemplateMappingRow,
    TranslationTable,
)
from integrations.openapi.models import ImportStatus, OpenAPIImport
from integrations.registry.models import (
    LATEST_FIRST,
    SUBMISSION_TRANSITIONS,
    Application,
    ApplicationQuerySet,
    ApplicationVersion,
    Category,
    SubmissionStatus,
    VersionSubmission,
)
from integrations.tiers.models import Tier, TierChange
from integrations.workspace.models import (
    SCOPE,
    Integration,
    IntegrationKind,
    IntegrationVersion,
    NdaStatus,
    VersionStatus,
    WebhookScope,
    semver_key,
    validate_scope,
    validate_semver,
)

__all__ = [
    "MappingTest",
    "MappingTestResult",
    "MappingTestRun",
    "Outcome",
    "RunStatus",
    "ROW_KINDS",
    "CollisionHandling",
    "Direction",
    "ForeignObjectLink",
    "HttpMethod",
    "ScopeLink",
    "SyncType",
    "TemplateMapping",
    "TemplateMappingRow",
    "TranslationTable",
    "LATEST_FIRST",
    "MappingCollection",
    "SCOPE",
    "SUBMISSION_TRANSITIONS",
    "Application",
    "ApplicationQuerySet",
    "ApplicationVersion",
    "Association",
    "AssociationStatus",
    "Category",
    "DataModelField",
    "FieldType",
    "ForeignDataObject",
    "ImportStatus",
    "Inbox",
    "InboxEvent",
    "Integration",
    "IntegrationKind",
    "IntegrationVersion",
    "NdaStatus",
    "ObjectState",
    "OpenAPIImport",
    "SubmissionStatus",
    "Tier",
    "TierChange",
    "VersionStatus",
    "VersionSubmission",
    "WebhookScope",
    "semver_key",
    "validate_scope",
    "validate_semver",
]
