"""Which integrations are behind on versions: their newest published version does not support the
latest version of their application (DOMAIN, Scoring: version relevance). Computed live, for a
set of integrations at once, in a fixed number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from integrations.models import (
    LATEST_FIRST,
    Application,
    ApplicationVersion,
    Integration,
    IntegrationVersion,
    VersionStatus,
    semver_key,
)
from scoring.models import ScoringPolicy


@dataclass(frozen=True)
class VersionBehind:
    integration: Integration
    latest: ApplicationVersion  # the application's latest version, not supported
    newest_published: IntegrationVersion  # the integration's version that does not support it

    @property
    def what_to_do(self) -> str:
        return f"support {self.latest.label}"


def _latest_versions(application_ids: set[int]) -> dict[int, ApplicationVersion]:
    latest = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by(*LATEST_FIRST).values("pk")[:1]
    ids = (
        Application.objects.filter(pk__in=application_ids)
        .annotate(latest_id=Subquery(latest))
        .values_list("latest_id", flat=True)
    )
    versions = ApplicationVersion.objects.filter(pk__in=[pk for pk in ids if pk is not None])
    return {version.application_id: version for version in versions}


def _newest_published(integration_ids: list[int]) -> dict[int, IntegrationVersion]:
    newest: dict[int, IntegrationVersion] = {}
    published = IntegrationVersion.objects.filter(integration_id__in=integration_ids, status=VersionStatus.PUBLISHED)
    for version in published.only("pk", "integration_id", "number", "public_id", "status"):
        known = newest.get(version.integration_id)
        if known is None or semver_key(version.number) > semver_key(known.number):
            newest[version.integration_id] = version
    return newest


def versions_behind(integrations: Iterable[Integration]) -> list[VersionBehind]:
    """The integrations (with ``application`` loaded) that are behind, in the order given. An
    integration with no published version has nothing on the marketplace to score, so it is left out."""
    integrations = list(integrations)
    latest = _latest_versions({integration.application_id for integration in integrations})
    newest = _newest_published([integration.pk for integration in integrations])
    Supports = IntegrationVersion.supported_versions.through
    supported = set(
        Supports.objects.filter(
            integrationversion_id__in=[version.pk for version in newest.values()],
            applicationversion_id__in=[version.pk for version in latest.values()],
        ).values_list("integrationversion_id", "applicationversion_id")
    )
    behind = []
    for integration in integrations:
        version, wanted = newest.get(integration.pk), latest.get(integration.application_id)
        if version is None or wanted is None or (version.pk, wanted.pk) in supported:
            continue
        behind.append(VersionBehind(integration, wanted, version))
    return behind


def version_relevance_deduction() -> int:
    """The points the version-relevance deduction costs at the next run: the current policy's, or
    DOMAIN's default while no policy has been published (read only: a page never creates one)."""
    policy = ScoringPolicy.objects.order_by("-version").only("version_relevance_deduction").first()
    if policy is None:
        return ScoringPolicy._meta.get_field("version_relevance_deduction").default
    return policy.version_relevance_deduction
