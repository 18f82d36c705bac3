"""Emails the tenancy actions send. Called from transaction.on_commit, with ids, not objects."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from portal.models import Invitation


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_invitation(invitation_pk: int) -> None:
    invitation = Invitation.objects.select_related("organization", "invited_by").get(pk=invitation_pk)
    context = {"invitation": invitation, "url": absolute_url(invitation.get_absolute_url())}
    send_mail(
        subject=f"[iPaaS.com] {invitation.invited_by or 'Someone'} invited you to join {invitation.organization.name}",
        message=render_to_string("portal/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
