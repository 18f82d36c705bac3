"""How the marketplace's emails go out: called from transaction.on_commit with ids, rendered from
text templates, one message per recipient (addresses are never shared), through the mail task."""

from django.core.mail import send_mail
from django.template.loader import render_to_string

from portal.models import MANAGER_ROLES, Organization, User


def send(subject: str, template: str, context: dict, recipients) -> None:
    for email in sorted(set(recipients)):
        send_mail(
            subject=f"[iPaaS.com] {subject}",
            message=render_to_string(template, context),
            from_email=None,
            recipient_list=[email],
        )


def managers(organization: Organization) -> list[str]:
    return list(
        organization.memberships.filter(role__in=MANAGER_ROLES, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def staff() -> list[str]:
    return list(User.objects.filter(is_staff=True, is_active=True).values_list("email", flat=True))
