"""Which integrations are behind on versions: their newest published version does not support the
latest version of their application (DOMAIN, Scoring: version relevance). Computed live, for a
set of integrations at once, in a fixed number of queries. Which ones are behind is worked out on
ids alone; only the ones shown are loaded whole, so a dashboard of hundreds of integrations
reads a few hundred short rows, not hundreds of models."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery

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


def _latest_version(application) -> Subquery:
    """The id of the latest version of the application the outer query names."""
    return Subquery(ApplicationVersion.objects.filter(application=application).order_by(*LATEST_FIRST).values("pk")[:1])


def _newest_published_ids(integration_ids: list[int]) -> dict[int, int]:
    """Each integration's newest published version's id (by semantic version), by integration id."""
    newest: dict[int, tuple[tuple, int]] = {}
    published = IntegrationVersion.objects.filter(integration_id__in=integration_ids, status=VersionStatus.PUBLISHED)
    for integration_id, pk, number in published.order_by().values_list("integration_id", "pk", "number"):
        key = semver_key(number)
        if integration_id not in newest or key > newest[integration_id][0]:
            newest[integration_id] = (key, pk)
    return {integration_id: pk for integration_id, (_, pk) in newest.items()}


def _behind(integrations: list[tuple[int, int | None]]) -> list[tuple[int, int, int]]:
    """(integration id, latest application version id, newest published version id) of each
    integration given as (id, its application's latest version id) that is behind, in the order
    given."""
    latest = {pk: latest_id for pk, latest_id in integrations if latest_id is not None}
    newest = _newest_published_ids([pk for pk, _ in integrations])
    Supports = IntegrationVersion.supported_versions.through
    supported = set(
        Supports.objects.filter(integrationversion_id__in=newest.values(), applicationversion_id__in=latest.values())
        .order_by()
        .values_list("integrationversion_id", "applicationversion_id")
    )
    behind = []
    for pk, _ in integrations:
        version_id, wanted_id = newest.get(pk), latest.get(pk)
        if version_id is None or wanted_id is None or (version_id, wanted_id) in supported:
            continue
        behind.append((pk, wanted_id, version_id))
    return behind


def loaded(
    behind: list[tuple[int, int, int]], integrations: dict[int, Integration] | None = None
) -> list[VersionBehind]:
    """The VersionBehind of each (integration id, latest id, newest published id), in two queries.
    Without the integrations, they come with their versions, with only what the dashboard's
    panel shows of them."""
    fields = ("integration", "number", "public_id", "status")
    newest = IntegrationVersion.objects.only(*fields)
    if integrations is None:
        shown = ("integration__slug", "integration__name", "integration__owner", "integration__application__name")
        newest = newest.select_related("integration__application").only(*fields, *shown)
    newest = newest.in_bulk([version for _, _, version in behind])
    if integrations is None:
        integrations = {version.integration_id: version.integration for version in newest.values()}
    latest = ApplicationVersion.objects.in_bulk([wanted for _, wanted, _ in behind])
    return [VersionBehind(integrations[pk], latest[wanted], newest[version]) for pk, wanted, version in behind]


def versions_behind(integrations: Iterable[Integration]) -> list[VersionBehind]:
    """The integrations (with ``application`` loaded) that are behind, in the order given. An
    integration with no published version has nothing on the marketplace to score, so it is left out."""
    given = {integration.pk: integration for integration in integrations}
    latest = (
        Application.objects.filter(pk__in={integration.application_id for integration in given.values()})
        .annotate(latest_id=_latest_version(OuterRef("pk")))
        .values_list("pk", "latest_id")
    )
    latest_of = dict(latest)
    behind = _behind([(pk, latest_of.get(integration.application_id)) for pk, integration in given.items()])
    return loaded(behind, given) if behind else []


def behind_ids(integrations: QuerySet[Integration]) -> list[tuple[int, int, int]]:
    """(integration id, latest application version id, newest published version id) of every
    integration of the queryset that is behind, by name: one query over the published versions of
    all of them (no list of ids sent back and forth)."""
    Supports = IntegrationVersion.supported_versions.through
    published = (
        IntegrationVersion.objects.filter(integration__in=integrations.values("pk"), status=VersionStatus.PUBLISHED)
        .annotate(latest_id=_latest_version(OuterRef("integration__application_id")))
        .annotate(
            supports_latest=Exists(
                Supports.objects.filter(
                    integrationversion_id=OuterRef("pk"), applicationversion_id=OuterRef("latest_id")
                )
            )
        )
        .order_by("integration__name", "integration_id")
        .values_list("integration_id", "pk", "number", "latest_id", "supports_latest")
    )
    newest: dict[int, tuple] = {}  # by integration, in the order of their names
    for integration_id, pk, number, latest_id, supports in published:
        key = semver_key(number)
        if integration_id not in newest or key > newest[integration_id][0]:
            newest[integration_id] = (key, pk, latest_id, supports)
    return [
        (integration_id, latest_id, pk)
        for integration_id, (_, pk, latest_id, supports) in newest.items()
        if latest_id is not None and not supports
    ]


def versions_behind_count(integrations: QuerySet[Integration], shown: int) -> tuple[list[VersionBehind], int]:
    """The first ``shown`` integrations of the queryset that are behind (by name, loaded with their
    application) and how many are behind in all: behind_ids, then two queries for the ones shown."""
    behind = behind_ids(integrations)
    return (loaded(behind[:shown]) if behind else []), len(behind)


def version_relevance_deduction() -> int:
    """The points the version-relevance deduction costs at the next run: the current policy's, or
    DOMAIN's default while no policy has been published (read only: a page never creates one)."""
    policy = ScoringPolicy.objects.order_by("-version").only("version_relevance_deduction").first()
    if policy is None:
        return ScoringPolicy._meta.get_field("version_relevance_deduction").default
    return policy.version_relevance_deduction
