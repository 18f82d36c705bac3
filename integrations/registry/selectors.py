"""Reads for the registry pages; each is a fixed number of queries whatever the data size."""

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from integrations.models import (
    LATEST_FIRST,
    Application,
    ApplicationApiChange,
    ApplicationVersion,
    AssociationStatus,
    Integration,
    SubmissionStatus,
    Tier,
    VersionSubmission,
)
from portal.models import AuditEvent, Organization, User

DIRECTORY_APPLICATIONS = 5  # per provider; its page lists them all


def provider_directory(query: str = "") -> QuerySet[Organization]:
    """Providers with at least one published application, matching ``query`` by provider or
    application name, each with its first published applications prefetched (latest version
    included; at most DIRECTORY_APPLICATIONS of them) and how many it has."""
    published = Application.objects.published().filter(provider=OuterRef("pk"))
    providers = Organization.objects.filter(Exists(published), is_provider=True)
    if query:
        matching_application = published.filter(name__icontains=query)
        providers = providers.filter(Q(name__icontains=query) | Exists(matching_application))
    counted = published.order_by().values("provider").annotate(n=Count("pk")).values("n")
    applications = Application.objects.published().with_latest_version().order_by("name", "pk")
    return (
        providers.order_by("name", "pk")
        .annotate(published_count=Subquery(counted))
        .prefetch_related(
            Prefetch(
                "applications",
                queryset=applications[:DIRECTORY_APPLICATIONS],
                to_attr="published_applications",
            )
        )
    )


def provider_applications(provider: Organization, viewer: Organization | None) -> QuerySet[Application]:
    """What a provider page lists: its published applications, and its drafts for its own members."""
    return provider.applications.visible_to(viewer).with_latest_version().order_by("name")


def organization_applications(organization: Organization) -> QuerySet[Application]:
    """Every application the organization owns, drafts included, for its members."""
    return organization.applications.with_latest_version().order_by("name", "pk")


def application_versions(application: Application) -> list[ApplicationVersion]:
    """Newest first; the first one, and only it, has ``is_latest`` set."""
    versions = list(newest_versions_first(application))
    for position, version in enumerate(versions):
        version.is_latest = position == 0
    return versions


def newest_versions_first(application: Application) -> QuerySet[ApplicationVersion]:
    return application.versions.order_by(*LATEST_FIRST)


def flag_latest(page):
    """A page of newest_versions_first with ``is_latest`` set on the latest version (the first of
    the first page) and no other."""
    for position, version in enumerate(page.object_list):
        version.is_latest = page.number == 1 and position == 0
    return page


def latest_version_label(application: Application) -> str:
    latest = application.versions.order_by(*LATEST_FIRST).values_list("label", flat=True).first()
    return latest or ""


def pending_submissions(application: Application) -> QuerySet[VersionSubmission]:
    return application.submissions.filter(status=SubmissionStatus.PENDING).order_by("created_at")


def submissions_by(user: User) -> QuerySet[VersionSubmission]:
    return VersionSubmission.objects.filter(submitted_by=user).select_related("application__provider", "version")


def profile_gaps(organization: Organization) -> list[str]:
    """What the seed's registration step still needs from a provider's profile (name, URL, logo)."""
    gaps = []
    if not organization.website:
        gaps.append("a company URL")
    if not organization.logo:
        gaps.append("a logo")
    if not organization.description:
        gaps.append("a description")
    return gaps


# --- What profiles show: every row, each page shows them a page at a time -----------------


def integrator_public_integrations(integrator: Organization) -> tuple[QuerySet[Integration], int]:
    """An integrator's public integrations (Compatible or above), those it owns and those it is
    associated with, highest tier first (its profile shows them a page at a time); and how many
    of them are Certified or One-Click."""
    associated = Integration.objects.filter(
        associations__organization=integrator, associations__status=AssociationStatus.ACCEPTED
    ).values("pk")
    public = (
        Integration.objects.filter(tier__gte=Tier.COMPATIBLE)
        .filter(Q(owner=integrator) | Q(pk__in=associated))
        .select_related("application", "owner")
        .order_by("-tier", "name", "pk")
    )
    certified = public.filter(tier__gte=Tier.CERTIFIED).count()
    return public, certified


def integrations_built_by_others(provider: Organization) -> QuerySet[Integration]:
    """Public integrations (Compatible or above) of the provider's applications that other
    organizations build: what integrators make of its applications. Drafts stay private."""
    others = (
        Integration.objects.filter(application__provider=provider, tier__gte=Tier.COMPATIBLE)
        .exclude(owner=provider)
        .select_related("application", "owner")
        .order_by("application__name", "-tier", "name", "pk")
    )
    return others


def submissions_for_provider(provider: Organization) -> QuerySet[VersionSubmission]:
    """The versions people submitted for the provider's own applications, newest first, whatever
    staff decided."""
    submitted = VersionSubmission.objects.filter(application__provider=provider).select_related("application")
    return submitted.order_by("-created_at", "-id")


# --- The decision page of a version submission (staff) -----------------------------------

DECISION_LIST_LIMIT = 50


def submitter_history(submission: VersionSubmission) -> tuple[list[VersionSubmission], dict[str, int]]:
    """The submitter's other submissions, newest first (capped), and how many of theirs ended in
    each status: whether this person's submissions are usually right."""
    if submission.submitted_by_id is None:
        return [], {}
    theirs = VersionSubmission.objects.filter(submitted_by_id=submission.submitted_by_id).exclude(pk=submission.pk)
    past = list(
        theirs.select_related("application", "reviewed_by").order_by("-created_at", "-id")[:DECISION_LIST_LIMIT]
    )
    counts = dict(theirs.order_by().values_list("status").annotate(n=Count("pk")))
    return past, {status.label: counts.get(status.value, 0) for status in SubmissionStatus}


def submission_history(submission: VersionSubmission) -> QuerySet[AuditEvent]:
    """The audit rows of this submission, oldest first (staff read it in the admin, across
    organizations: the submitter's and the provider's)."""
    content_type = ContentType.objects.get_for_model(VersionSubmission)
    return AuditEvent.objects.filter(target_type=content_type, target_id=submission.pk).order_by("created_at", "id")


# Enough for any application's changes within two correction periods; the page never grows unbounded.
API_CHANGES_SHOWN = 5


def api_changes_to_correct(application_ids: Iterable[int], today: datetime.date) -> dict[int, list]:
    """The API changes the integrations of these applications still have to follow (or have just
    missed), by application id, earliest deadline first, each with ``days_left``; one query."""
    changes = ApplicationApiChange.objects.filter(application_id__in=set(application_ids)).to_correct(today)
    found: dict[int, list] = {}
    for change in changes.order_by("effective_on", "id"):
        change.days_left_now = change.days_left(today)
        change.days_overdue = -change.days_left_now
        change.in_future = change.effective_on > today
        shown = found.setdefault(change.application_id, [])
        if len(shown) < API_CHANGES_SHOWN:
            shown.append(change)
    return found
