"""Reads for an integration's marketplace page, a fixed number of queries whatever its history."""

from dataclasses import dataclass

from django.db.models import Count, Q

from certification.models import CertificationRequest, RequestStatus
from integrations.associations.selectors import accepted_associations
from integrations.models import (
    LATEST_FIRST,
    ApplicationVersion,
    Association,
    AssociationStatus,
    Integration,
    IntegrationVersion,
    Tier,
    VersionStatus,
    semver_key,
)
from integrations.tiers import engine as tiers
from portal.models import Organization

MATRIX_APPLICATION_VERSIONS = 12
MATRIX_INTEGRATION_VERSIONS = 5


@dataclass(frozen=True)
class MatrixRow:
    application_version: ApplicationVersion
    supported_by: list[bool]  # one per integration version, in the matrix's column order

    @property
    def is_supported(self) -> bool:
        return any(self.supported_by)


@dataclass(frozen=True)
class CompatibilityMatrix:
    integration_versions: list[IntegrationVersion]  # published, newest first
    rows: list[MatrixRow]  # the application's versions, newest first
    more_application_versions: int

    @property
    def latest_supported(self) -> bool | None:
        """Whether the integration's newest published version supports the application's latest version."""
        if not self.rows or not self.integration_versions:
            return None
        return self.rows[0].supported_by[0]


def published_versions(integration: Integration) -> list[IntegrationVersion]:
    versions = integration.versions.filter(status=VersionStatus.PUBLISHED).prefetch_related("supported_versions")
    return sorted(versions, key=lambda version: semver_key(version.number), reverse=True)


def compatibility_matrix(integration: Integration, versions: list[IntegrationVersion]) -> CompatibilityMatrix:
    application_versions = list(
        ApplicationVersion.objects.filter(application_id=integration.application_id).order_by(*LATEST_FIRST)[
            : MATRIX_APPLICATION_VERSIONS + 1
        ]
    )
    shown, more = (
        application_versions[:MATRIX_APPLICATION_VERSIONS],
        len(application_versions) > MATRIX_APPLICATION_VERSIONS,
    )
    columns = versions[:MATRIX_INTEGRATION_VERSIONS]
    supported = [
        {application_version.pk for application_version in column.supported_versions.all()} for column in columns
    ]
    rows = [MatrixRow(version, [version.pk in ids for ids in supported]) for version in shown]
    return CompatibilityMatrix(columns, rows, int(more))


def next_tier_needs(integration: Integration, versions: list[IntegrationVersion]) -> tuple[Tier | None, list[str]]:
    """What a Compatible or Ready integration still needs for the next tier, as the rules' titles
    (the rules' own messages link to the owner's private pages)."""
    if not versions or integration.tier >= Tier.CERTIFIED:
        return None, []
    version = versions[0]
    for checklist in tiers.evaluate(version):
        if checklist.tier > integration.tier:
            return checklist.tier, [rule.title for rule, result in checklist.to_do]
    return None, []


@dataclass(frozen=True)
class OwnerProfile:
    organization: Organization
    integration_count: int
    certified_count: int


def owner_profile(integration: Integration) -> OwnerProfile:
    owner = integration.owner
    # A union of ids rather than one OR over a join: each side uses its index, where the OR made
    # PostgreSQL read and join every integration (12-30 ms at 10,000 integrations).
    owned = Integration.objects.filter(owner=owner).order_by().values("pk")
    associated = (
        Association.objects.filter(organization=owner, status=AssociationStatus.ACCEPTED)
        .order_by()
        .values("integration_id")
    )
    counts = Integration.objects.filter(pk__in=owned.union(associated)).aggregate(
        total=Count("pk"), certified=Count("pk", filter=Q(tier__gte=Tier.CERTIFIED))
    )
    return OwnerProfile(owner, counts["total"], counts["certified"])


def integrators(integration: Integration) -> list:
    return list(accepted_associations(integration))


def latest_certification(integration: Integration) -> CertificationRequest | None:
    """The approval behind the Certified badge: which version, and when Red Rook certified it."""
    return (
        CertificationRequest.objects.filter(version__integration=integration, status=RequestStatus.APPROVED)
        .select_related("version")
        .order_by("-decided_at", "-pk")
        .first()
    )
