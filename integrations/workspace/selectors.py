"""Reads for the integration pages, each a fixed number of queries whatever the data size.

The dashboard evaluates the tier rules for many integrations at once: it loads the rules' facts
for all of them with annotations (tiers.load_facts would cost queries per integration) and hands
them to tiers.evaluate, with what later modules' rules read (tiers.load_extra) loaded for all of them
together."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from integrations.access import workable_integrations
from integrations.models import (
    LATEST_FIRST,
    ApplicationVersion,
    Association,
    AssociationStatus,
    ImportStatus,
    InboxEvent,
    Integration,
    IntegrationVersion,
    OpenAPIImport,
    Tier,
    TierChange,
    VersionStatus,
    WebhookScope,
    next_minor,
    semver_key,
)
from integrations.registry.selectors import api_changes_to_correct
from integrations.tiers import engine as tiers
from portal.models import Organization


def _count(queryset, field: str):
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_rule_facts(integrations: QuerySet[Integration]) -> QuerySet[Integration]:
    """Annotates what the tier rules read about the integration (not about a version), but its
    webhook scopes, which _scopes_of reads with their links."""
    current_import = OpenAPIImport.objects.filter(integration=OuterRef("pk"), status=ImportStatus.DONE).order_by(
        "-created_at", "-id"
    )
    return integrations.select_related("application__provider", "owner").annotate(
        fact_events=_count(InboxEvent.objects.filter(integration=OuterRef("pk")), "integration"),
        fact_associations=_count(
            Association.objects.filter(integration=OuterRef("pk"), status=AssociationStatus.ACCEPTED), "integration"
        ),
        fact_app_versions=_count(ApplicationVersion.objects.filter(application=OuterRef("application")), "application"),
        # One subquery for the current import: none (NULL), valid (1) or not (0).
        fact_import_valid=Subquery(
            current_import.annotate(
                valid=Case(When(detected_version="2.0", error_count=0, then=Value(1)), default=Value(0))
            ).values("valid")[:1],
            output_field=IntegerField(),
        ),
    )


def _scopes_of(integration_ids: list[int]) -> dict[int, list[WebhookScope]]:
    """Each integration's webhook scopes with their links, as tiers.load_facts reads them (the
    Certified rules read the links; the Compatible ones count the scopes)."""
    scopes: dict[int, list[WebhookScope]] = {pk: [] for pk in integration_ids}
    if not integration_ids:
        return scopes
    listed = WebhookScope.objects.filter(integration_id__in=integration_ids).select_related("link__collection")
    for scope in listed.order_by("name", "pk"):
        scopes[scope.integration_id].append(scope)
    return scopes


def _facts(integration: Integration, version: IntegrationVersion, scopes: list[WebhookScope]) -> tiers.Facts:
    has_import = integration.fact_import_valid is not None
    return tiers.Facts(
        version=version,
        integration=integration,
        supported_version_count=version.supported_count,
        application_version_count=integration.fact_app_versions,
        current_import_valid=integration.fact_import_valid == 1,
        has_import=has_import,
        scope_count=len(scopes),
        accepted_associations=integration.fact_associations,
        verified_event_count=integration.fact_events,
        scopes=scopes,
    )


def progress_version(versions: list[IntegrationVersion]) -> IntegrationVersion | None:
    """The version whose progress a page shows: the newest published one (the one whose tier the
    integration shows), else the newest draft."""
    published = [v for v in versions if v.status == VersionStatus.PUBLISHED]
    return max(published or versions, key=lambda v: semver_key(v.number), default=None)


def progress_versions(versions: Iterable[IntegrationVersion]) -> dict[int, IntegrationVersion]:
    """Each integration's progress_version among these versions, by integration id (an
    integration without a version among them is left out)."""
    by_integration: dict[int, list[IntegrationVersion]] = {}
    for version in versions:
        by_integration.setdefault(version.integration_id, []).append(version)
    return {pk: progress_version(theirs) for pk, theirs in by_integration.items()}


@dataclass
class TierProgress:
    tier: Tier
    passed: int
    total: int

    @property
    def complete(self) -> bool:
        return self.passed == self.total


@dataclass
class DashboardRow:
    integration: Integration
    version: IntegrationVersion | None
    progress: list[TierProgress]
    next_message: str  # what to do first for the next tier; empty once every tier is reached
    is_owner: bool
    api_changes: list  # the application's API changes to correct (registry.selectors.api_changes_to_correct)


DASHBOARD_PER_PAGE = 24


def dashboard(organization: Organization, page_number=None) -> Page:
    """One page of the organization's integrations (by name), its object_list the dashboard's
    rows. The page is chosen on ids alone, so the database reads these integrations only, not all
    of them to sort them. Each row's progress is what tiers.recompute kept on its version
    (tiers.checklist_summary); only a version it never summarized is evaluated here."""
    # Every id at once (a number an integration) rather than a count and then a page of them.
    listed = list(workable_integrations(organization).order_by("name", "pk").values_list("pk", flat=True))
    # get_page answers any page parameter: not a number means the first page, too far the last.
    page = Paginator(listed, DASHBOARD_PER_PAGE).get_page(page_number)
    ids = list(page.object_list)
    loaded = Integration.objects.filter(pk__in=ids).select_related("application", "owner").in_bulk() if ids else {}
    page.object_list = _dashboard_rows(organization, [loaded[pk] for pk in ids if pk in loaded])
    return page


def _dashboard_rows(organization: Organization, integrations: list[Integration]) -> list[DashboardRow]:
    versions = IntegrationVersion.objects.filter(integration__in=[i.pk for i in integrations]).only(
        "integration_id", "number", "status", "checklist"
    )
    progress = progress_versions(versions)
    shown = {i.pk: progress.get(i.pk) for i in integrations}
    summaries = {pk: version.checklist for pk, version in shown.items() if version and version.checklist is not None}
    missing = [pk for pk, version in shown.items() if version and pk not in summaries]
    summaries.update({pk: summary for pk, (_, summary) in evaluated_checklists(missing).items()})
    api_changes = api_changes_to_correct({i.application_id for i in integrations}, timezone.localdate())
    rows = []
    for integration in integrations:
        summary = summaries.get(integration.pk, {"progress": [], "next": ""})
        rows.append(
            DashboardRow(
                integration,
                shown[integration.pk],
                [TierProgress(Tier(tier), passed, total) for tier, passed, total in summary["progress"]],
                summary["next"],
                integration.owner_id == organization.pk,
                api_changes.get(integration.application_id, []),
            )
        )
    return rows


def evaluated_checklists(integration_ids: list[int]) -> dict[int, tuple[int, dict]]:
    """{integration id: (its progress_version's id, that version's tiers.checklist_summary)},
    evaluated now, for integrations whose version recompute never summarized (made before it kept
    summaries, or by hand): their rules' facts loaded for all of them at once, a fixed number of
    queries."""
    if not integration_ids:
        return {}
    integrations = with_rule_facts(Integration.objects.filter(pk__in=integration_ids)).in_bulk()
    versions = (
        IntegrationVersion.objects.filter(integration__in=list(integrations))
        .select_related("ready_designated_by")
        .annotate(supported_count=Count("supported_versions"))
    )
    shown = progress_versions(versions)
    scopes = _scopes_of(list(shown))
    facts = {pk: _facts(integrations[pk], version, scopes[pk]) for pk, version in shown.items()}
    tiers.load_extra(list(facts.values()))  # later modules' facts, for every integration at once
    summaries = {}
    for pk, version in shown.items():
        version.integration = integrations[pk]
        summaries[pk] = (version.pk, tiers.checklist_summary(tiers.evaluate(version, facts[pk])))
    return summaries


def designation_open(checklists: list[tiers.TierChecklist]) -> bool:
    """tiers.may_designate_ready, read from checklists the page has already evaluated."""
    for checklist in checklists:
        if checklist.tier == Tier.COMPATIBLE and not checklist.passed:
            return False
        if checklist.tier == Tier.READY:
            return all(result.passed for rule, result in checklist.results if rule.code != "readiness_designated")
    return False


def integration_versions(integration: Integration) -> list[IntegrationVersion]:
    """Newest first by semantic version, with the supported application versions prefetched."""
    versions = list(integration.versions.select_related("ready_designated_by").prefetch_related("supported_versions"))
    return sorted(versions, key=lambda v: semver_key(v.number), reverse=True)


def workspace_versions(integration: Integration) -> list[IntegrationVersion]:
    """What the workspace page reads: newest first by semantic version, each with the number of
    application versions it supports (`supported_count`) but not the versions themselves, which the
    page names only for the versions it shows (with_supported_shown)."""
    versions = list(
        integration.versions.select_related("ready_designated_by").annotate(supported_count=Count("supported_versions"))
    )
    return sorted(versions, key=lambda v: semver_key(v.number), reverse=True)


def with_supported_shown(versions: list[IntegrationVersion], shown: int) -> None:
    """Give each version `supported_shown`: its first `shown` supported application versions,
    latest first, in one query for all of them."""
    first = ApplicationVersion.objects.order_by(*LATEST_FIRST)[:shown]
    prefetch_related_objects(versions, Prefetch("supported_versions", queryset=first, to_attr="supported_shown"))


def supported_versions_of(version: IntegrationVersion) -> QuerySet[ApplicationVersion]:
    return version.supported_versions.order_by(*LATEST_FIRST)


def next_version_number(integration: Integration) -> str:
    """What a new version is proposed to be numbered: 1.0.0 first, then a minor step up from the
    highest so far (1.2.3 → 1.3.0)."""
    numbers = list(integration.versions.values_list("number", flat=True))
    if not numbers:
        return "1.0.0"
    return next_minor(max(numbers, key=semver_key))


def tier_history(integration: Integration, limit: int = 50) -> QuerySet[TierChange]:
    return integration.tier_changes.select_related("version")[:limit]


def public_integrations(application) -> QuerySet[Integration]:
    """What the application's public page lists: integrations at Compatible or above."""
    return application.integrations.filter(tier__gte=Tier.COMPATIBLE).select_related("owner").order_by("-tier", "name")


def integration_count(organization: Organization | None) -> int:
    return workable_integrations(organization).count()
