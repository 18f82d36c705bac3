"""The path a new organization follows, step by step, shown on its getting-started page.

A provider's path is the seed's registration step: a complete provider profile, its applications
and their versions, then an integration. An integrator's path is the tier engine's own checklist
(the Compatible and Ready rules of integrations.tiers) for each integration it is building, with
the steps the rules take for granted (an integration, a version, publishing it) around them, so
each step is done exactly when the rule that judges it passes.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse

from integrations.access import workable_integrations
from integrations.models import Integration, Tier, VersionStatus
from integrations.tiers import engine as tiers
from integrations.workspace.selectors import integration_versions, progress_version
from portal.models import Organization

# How many integrations below Ready the page walks through at once; the dashboard lists them all.
INTEGRATIONS_SHOWN = 3


@dataclass(frozen=True)
class Step:
    title: str
    done: bool
    detail: str = ""
    url: str = ""  # where the step is done: the form, or the field, that fixes it


@dataclass
class IntegrationPath:
    integration: Integration
    steps: list[Step] = field(default_factory=list)

    @property
    def to_do(self) -> int:
        return sum(1 for step in self.steps if not step.done)


def provider_path(organization: Organization) -> list[Step]:
    """Profile, applications, versions, an integration: the registration step of the seed."""
    applications = list(organization.applications.annotate(versions_count=Count("versions")).order_by("name"))
    missing = [
        label for label, value in (("a company URL", organization.website), ("a logo", organization.logo)) if not value
    ]
    without_logo = next((a for a in applications if not a.logo), None)
    without_version = next((a for a in applications if not a.versions_count), None)
    unpublished = next((a for a in applications if not a.is_published), None)
    published = next((a for a in applications if a.is_published), None)
    builds = Integration.objects.filter(owner=organization).exists()
    return [
        Step(
            "Complete the provider profile",
            not missing,
            f"Add {' and '.join(missing)}."
            if missing
            else f"{organization.name} has a name, a company URL and a logo.",
            reverse("public_profile_edit") + ("#id_website" if not organization.website else "#id_logo"),
        ),
        Step(
            "Register an application",
            bool(applications),
            f"{len(applications)} registered." if applications else "Register each product you make.",
            reverse("application_create"),
        ),
        Step(
            "Give each application a logo",
            bool(applications) and without_logo is None,
            f"{without_logo.name} has no logo yet." if without_logo else "",
            reverse("application_edit", args=[without_logo.slug]) + "#id_logo" if without_logo else "",
        ),
        Step(
            "Add the versions of each application",
            bool(applications) and without_version is None,
            f"{without_version.name} has no version yet." if without_version else "",
            reverse("version_create", args=[without_version.slug]) if without_version else "",
        ),
        Step(
            "Publish each application",
            bool(applications) and unpublished is None,
            f"{unpublished.name} is a draft: only your members see it." if unpublished else "",
            reverse("application_edit", args=[unpublished.slug]) + "#id_is_published" if unpublished else "",
        ),
        Step(
            "Build an integration",
            builds,
            "Integrators build on your published applications too; you may build your own."
            if not builds
            else f"{organization.name} builds its own integration.",
            _build_url(published) if published else "",
        ),
    ]


def _build_url(application) -> str:
    return reverse("integration_create") + f"?application={application.slug}"


def integrator_paths(organization: Organization) -> list[IntegrationPath]:
    """The integrations the organization is taking to Ready, newest first (a few at a time), each
    with the steps still between it and Ready."""
    building = (
        workable_integrations(organization)
        .filter(tier__lt=Tier.READY)
        .select_related("application__provider", "owner")
        .order_by("-created_at", "-pk")[:INTEGRATIONS_SHOWN]
    )
    return [IntegrationPath(integration, integration_steps(integration)) for integration in building]


def integration_steps(integration: Integration) -> list[Step]:
    versions = integration_versions(integration)
    version = progress_version(versions)
    if version is None:
        return [
            Step(
                "Create its first version",
                False,
                "The tier rules are checked for a version and the application versions it supports.",
                reverse("integration_version_create", args=[integration.slug]),
            )
        ]
    steps = [Step("Create its first version", True, f"Version {version.number}.")]
    for checklist in tiers.evaluate(version):
        if checklist.tier not in (Tier.COMPATIBLE, Tier.READY):
            continue
        if checklist.tier == Tier.READY:
            steps.append(_publish_step(integration, version))
        steps.extend(Step(rule.title, result.passed, result.message, result.url) for rule, result in checklist.results)
    return steps


def _publish_step(integration: Integration, version) -> Step:
    published = version.status == VersionStatus.PUBLISHED
    return Step(
        f"Publish version {version.number}",
        published,
        "The integration shows the tier of its newest published version."
        if published
        else "A draft's tier is not shown: publish it when it is out.",
        reverse("integration_detail", args=[integration.slug]) + "#versions-heading",
    )


def has_integrations(organization: Organization) -> bool:
    return workable_integrations(organization).exists()
