"""Emails of certification requests. Called from transaction.on_commit, with ids, not objects."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from certification.requests.models import CertificationRequest, RequestTransition
from portal.models import User
from portal.notifications import absolute_url


def _send(subject: str, template: str, context: dict, recipients) -> None:
    for email in recipients:  # one message each: addresses are not shared with one another
        send_mail(
            subject=f"[iPaaS.com] {subject}",
            message=render_to_string(template, context),
            from_email=None,
            recipient_list=[email],
        )


def _request_url(request_: CertificationRequest) -> str:
    version = request_.version
    return absolute_url(reverse("certification_request_detail", args=[version.integration.slug, request_.public_id]))


def send_request_moved(transition_pk: int) -> None:
    """Tell the members of the integration's owner that their request changed state."""
    transition = RequestTransition.objects.select_related("request__version__integration", "request__organization").get(
        pk=transition_pk
    )
    request_ = transition.request
    version = request_.version
    members = request_.organization.memberships.filter(user__is_active=True).values_list("user__email", flat=True)
    context = {"transition": transition, "request": request_, "version": version, "url": _request_url(request_)}
    _send(
        f"Certification of {version.integration.name} {version.number}: {transition.get_to_status_display()}",
        "certification/requests/email/request_moved.txt",
        context,
        members,
    )


def send_request_submitted_to_staff(request_pk: int) -> None:
    request_ = CertificationRequest.objects.select_related("version__integration", "organization").get(pk=request_pk)
    version = request_.version
    staff = User.objects.filter(is_staff=True, is_active=True).exclude(memberships__organization=request_.organization)
    context = {
        "request": request_,
        "version": version,
        "review_url": absolute_url(reverse("admin:certification_certificationrequest_change", args=[request_.pk])),
    }
    _send(
        f"Certification requested: {version.integration.name} {version.number}",
        "certification/requests/email/request_submitted_staff.txt",
        context,
        staff.values_list("email", flat=True),
    )
