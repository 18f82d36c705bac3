"""Reads for the tenancy pages; each one is a fixed number of queries whatever the data size."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q, QuerySet

from portal.models import AuditEvent, Invitation, InvitationStatus, Membership, User


def invitations_for_user(user: User) -> list[Invitation]:
    """Open invitations addressed to any of the person's verified email addresses."""
    emails = list(user.emailaddress_set.filter(verified=True).values_list("email", flat=True))
    if not emails:
        return []
    query = Q()
    for email in emails:
        query |= Q(email__iexact=email)
    pending = Invitation.objects.filter(query, status=InvitationStatus.PENDING).select_related(
        "organization", "invited_by"
    )
    return [invitation for invitation in pending if not invitation.is_expired]


def organization_members(organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("user__email", "pk")


def pending_invitations(organization) -> QuerySet[Invitation]:
    return (
        organization.invitations.filter(status=InvitationStatus.PENDING)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def organization_activity(organization) -> QuerySet[AuditEvent]:
    """Everything the organization's trail holds, newest first (its page shows it a page at a time)."""
    return organization.audit_events.order_by("-created_at", "-id")


def object_history(obj: models.Model, organization) -> QuerySet[AuditEvent]:
    """The events of the organization's trail about `obj`, newest first: the changes to it and to
    what is within it (the rows of a template mapping), deleted things included. One query: an
    event reads as words from its own columns."""
    content_type = ContentType.objects.get_for_model(obj)
    about = Q(target_type=content_type, target_id=obj.pk) | Q(within_type=content_type, within_id=obj.pk)
    return AuditEvent.objects.filter(about, organization=organization)


def home_summary(request) -> dict:
    if request.organization is None:
        return {}
    counts = request.organization.memberships.aggregate(members=Count("pk"), owners=Count("pk", filter=Q(role="owner")))
    counts["pending_invitations"] = request.organization.invitations.filter(status=InvitationStatus.PENDING).count()
    return counts
