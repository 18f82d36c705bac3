"""Telling integrators at once that a new application version makes their integrations fall
behind: registered with the registry's version-added hook (integrations.registry.hooks) from
ScoringConfig.ready, so it runs after the version is committed, whoever added it (a verified
submission, staff or the provider)."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from integrations.models import LATEST_FIRST, ApplicationVersion, Integration
from portal.models import Membership
from portal.notifications import absolute_url
from scoring.versions.selectors import VersionBehind, version_relevance_deduction, versions_behind


def _grouped_by_owner(behind: list[VersionBehind]) -> dict[int, list[VersionBehind]]:
    owners: dict[int, list[VersionBehind]] = {}
    for each in behind:
        owners.setdefault(each.integration.owner_id, []).append(each)
    return owners


def notify_version_added(application_version_id: int) -> None:
    """Emails every member of each organization owning an integration that the version leaves
    behind. A version older than the application's latest changes nobody's score: no email."""
    version = ApplicationVersion.objects.select_related("application").filter(pk=application_version_id).first()
    if version is None:
        return
    latest = version.application.versions.order_by(*LATEST_FIRST).values_list("pk", flat=True).first()
    if latest != version.pk:
        return
    integrations = Integration.objects.filter(application=version.application).select_related("application", "owner")
    owners = _grouped_by_owner(versions_behind(integrations))
    if not owners:
        return
    members = Membership.objects.filter(organization_id__in=owners, user__is_active=True).select_related("user")
    deduction = version_relevance_deduction()
    with transaction.atomic():  # the outbox stores every message or none
        for membership in members:
            behind = owners[membership.organization_id]
            context = {
                "version": version,
                "behind": [
                    (each, absolute_url(reverse("integration_detail", args=[each.integration.slug]))) for each in behind
                ],
                "deduction": deduction,
                "dashboard_url": absolute_url(reverse("integration_dashboard")),
            }
            send_mail(
                subject=f"[iPaaS.com] {version.application.name} {version.label} is out: "
                f"{len(behind)} of your integrations fall{'s' if len(behind) == 1 else ''} behind",
                message=render_to_string("scoring/versions/email/version_behind.txt", context),
                from_email=None,
                recipient_list=[membership.user.email],
            )
