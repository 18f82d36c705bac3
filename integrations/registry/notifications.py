"""Emails the registry actions send. Called from transaction.on_commit, with ids, not objects."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from integrations.models import SubmissionStatus, VersionSubmission
from integrations.registry import queues
from portal.models import MANAGER_ROLES, User
from portal.notifications import absolute_url


def _submission(pk: int) -> VersionSubmission:
    return VersionSubmission.objects.select_related("application__provider", "submitted_by", "reviewed_by").get(pk=pk)


def _send(subject: str, template: str, context: dict, recipients: list[str]) -> None:
    if recipients:
        send_mail(
            subject=f"[iPaaS.com] {subject}",
            message=render_to_string(template, context),
            from_email=None,
            recipient_list=recipients,
        )


def send_submission_received(submission_pk: int) -> None:
    """Tell Red Rook staff that the review queue has a new version submission."""
    submission = _submission(submission_pk)
    staff = list(User.objects.filter(is_staff=True, is_active=True).values_list("email", flat=True))
    review_url = absolute_url(queues.decision_url(submission))
    context = {"submission": submission, "review_url": review_url}
    application = submission.application
    for email in staff:  # one message each: staff addresses are not shared with one another
        _send(
            f"Version submitted for review: {application.name} {submission.label}",
            "integrations/registry/email/submission_received.txt",
            context,
            [email],
        )


def send_submission_decided(submission_pk: int) -> None:
    submission = _submission(submission_pk)
    if submission.submitted_by is None:
        return
    verified = submission.status == SubmissionStatus.VERIFIED
    context = {
        "submission": submission,
        "verified": verified,
        "application_url": absolute_url(submission.application.get_absolute_url()),
        "submissions_url": absolute_url(reverse("submission_list")),
    }
    outcome = "verified" if verified else "not added"
    _send(
        f"Your version submission {submission.application.name} {submission.label} was {outcome}",
        "integrations/registry/email/submission_decided.txt",
        context,
        [submission.submitted_by.email],
    )


def send_version_added_to_provider(submission_pk: int) -> None:
    """A verified version joined a provider's application: its owners and admins should know."""
    submission = _submission(submission_pk)
    application = submission.application
    managers = application.provider.memberships.filter(role__in=MANAGER_ROLES, user__is_active=True)
    context = {
        "submission": submission,
        "application_url": absolute_url(application.get_absolute_url()),
        "versions_url": absolute_url(reverse("application_edit", args=[application.slug])),
    }
    for email in managers.values_list("user__email", flat=True):
        _send(
            f"New version of {application.name} verified: {submission.label}",
            "integrations/registry/email/version_added.txt",
            context,
            [email],
        )
