"""The registry's staff queue: version submissions waiting for a decision, handed to the portal's
admin home and daily digest (portal.staff_queues) from IntegrationsConfig.ready."""

from django.db.models import QuerySet
from django.urls import reverse

from integrations.models import SubmissionStatus, VersionSubmission
from portal.staff_queues import StaffQueue, register_queue


def waiting_submissions() -> QuerySet[VersionSubmission]:
    return VersionSubmission.objects.filter(status=SubmissionStatus.PENDING).select_related("application")


def decision_url(submission: VersionSubmission) -> str:
    """The admin page of one submission is where it is decided (the email to staff links there)."""
    return reverse("admin:integrations_versionsubmission_change", args=[submission.pk])


def register_queues() -> None:
    register_queue(
        StaffQueue.in_admin(
            VersionSubmission,
            key="version_submissions",
            name="Version submissions",
            waiting=waiting_submissions,
            since_field="created_at",
            list_query=f"status__exact={SubmissionStatus.PENDING}",
        )
    )
