"""Reads for the registry pages; each is a fixed number of queries whatever the data size."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from integrations.models import LATEST_FIRST, Application, ApplicationVersion, SubmissionStatus, VersionSubmission
from portal.models import Organization, User


def provider_directory(query: str = "") -> QuerySet[Organization]:
    """Providers with at least one published application, matching ``query`` by provider or
    application name, each with its published applications prefetched (latest version included)."""
    published = Application.objects.published().filter(provider=OuterRef("pk"))
    providers = Organization.objects.filter(Exists(published), is_provider=True)
    if query:
        matching_application = published.filter(name__icontains=query)
        providers = providers.filter(Q(name__icontains=query) | Exists(matching_application))
    applications = Application.objects.published().with_latest_version().order_by("name")
    return providers.order_by("name", "pk").prefetch_related(
        Prefetch("applications", queryset=applications, to_attr="published_applications")
    )


def provider_applications(provider: Organization, viewer: Organization | None) -> QuerySet[Application]:
    """What a provider page lists: its published applications, and its drafts for its own members."""
    return provider.applications.visible_to(viewer).with_latest_version().order_by("name")


def organization_applications(organization: Organization) -> QuerySet[Application]:
    """Every application the organization owns, drafts included, for its members."""
    return organization.applications.with_latest_version().order_by("name")


def application_versions(application: Application) -> list[ApplicationVersion]:
    """Newest first; the first one, and only it, has ``is_latest`` set."""
    versions = list(application.versions.order_by(*LATEST_FIRST))
    for position, version in enumerate(versions):
        version.is_latest = position == 0
    return versions


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
