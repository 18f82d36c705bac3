"""Associations: integrators of other organizations ask to work on an integration; its owner
accepts or declines, and may later end an accepted one. An accepted association is a
django-guardian grant of work_on_integration to the requesting organization's permission group
(what integrations.access checks), and it satisfies the tier rule integrator_associated, so
every change of an accepted association ends with a tier recomputation."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from integrations.access import WORK_ON_INTEGRATION
from integrations.models import Association, AssociationStatus, Integration, Tier
from integrations.tiers import engine as tiers
from portal.models import MANAGER_ROLES, Organization, User
from portal.notifications import absolute_url
from portal.services import ActionRefused, record

OPEN = (AssociationStatus.PENDING, AssociationStatus.ACCEPTED)

# decision -> (the status it moves from, the status it moves to)
DECISIONS: dict[str, tuple[AssociationStatus, AssociationStatus]] = {
    "accept": (AssociationStatus.PENDING, AssociationStatus.ACCEPTED),
    "decline": (AssociationStatus.PENDING, AssociationStatus.DECLINED),
    "end": (AssociationStatus.ACCEPTED, AssociationStatus.ENDED),
}


def request_association(
    integration: Integration, *, organization: Organization, acting_user: User, message: str = ""
) -> Association:
    if not organization.is_integrator:
        raise ActionRefused("Only integrator organizations can ask to be associated with an integration.")
    if integration.owner_id == organization.pk:
        raise ActionRefused(f"{organization.name} owns {integration.name}: its members already work on it.")
    if integration.tier < Tier.COMPATIBLE:
        raise ActionRefused(f"{integration.name} is not listed yet.")
    try:
        with transaction.atomic():
            # Lock the integration so two requests from one organization cannot both pass the check.
            Integration.objects.select_for_update().filter(pk=integration.pk).first()
            existing = integration.associations.filter(organization=organization, status__in=OPEN).first()
            if existing:
                raise ActionRefused(_duplicate_message(existing))
            association = Association.objects.create(
                integration=integration, organization=organization, message=message, requested_by=acting_user
            )
            record(
                actor=acting_user,
                kind="association.requested",
                organization=integration.owner,
                target=association,
                target_label=organization.name,
                within=integration,
                to_state=AssociationStatus.PENDING,
                comment=message[:500],
            )
            transaction.on_commit(lambda: send_association_requested(association.pk))
    except IntegrityError as exc:  # the partial unique constraint, where row locks do not exist
        raise ActionRefused("Your organization has already asked to work on this integration.") from exc
    return association


def _duplicate_message(existing: Association) -> str:
    if existing.status == AssociationStatus.ACCEPTED:
        return f"{existing.organization.name} is already associated with {existing.integration.name}."
    return (
        f"{existing.organization.name} has already asked to work on {existing.integration.name}; "
        "the owner has not decided yet."
    )


def decide_association(association: Association, *, acting_user: User, decision: str) -> Association:
    """accept, decline (a pending request) or end (an accepted association), exactly once."""
    if decision not in DECISIONS:
        raise ActionRefused("Choose accept, decline or end.")
    from_status, to_status = DECISIONS[decision]
    with transaction.atomic():
        association = (
            Association.objects.select_for_update().select_related("integration", "organization").get(pk=association.pk)
        )
        if association.status != from_status:
            raise ActionRefused(
                f"The association of {association.organization.name} is already "
                f"{association.get_status_display().lower()}."
            )
        association.status = to_status
        association.decided_by = acting_user
        association.decided_at = timezone.now()
        association.save(update_fields=["status", "decided_by", "decided_at"])
        integration, asker = association.integration, association.organization
        if to_status == AssociationStatus.ACCEPTED:
            assign_perm(WORK_ON_INTEGRATION, asker.ensure_permission_group(), integration)
        elif to_status == AssociationStatus.ENDED and (group := asker.get_permission_group()):
            remove_perm(WORK_ON_INTEGRATION, group, integration)
        record(
            actor=acting_user,
            kind=f"association.{to_status}",
            organization=integration.owner,
            target=association,
            target_label=association.organization.name,
            within=integration,
            from_state=from_status,
            to_state=to_status,
        )
        transaction.on_commit(lambda: send_association_decided(association.pk))
        if AssociationStatus.ACCEPTED in (from_status, to_status):
            cause = "Integrator associated" if to_status == AssociationStatus.ACCEPTED else "Association ended"
            tiers.recompute(integration, cause=f"{cause}: {association.organization.name}")
    return association


def withdraw_association(association: Association, *, acting_user: User) -> Association:
    """The requesting organization takes back a request the owner has not decided."""
    with transaction.atomic():
        association = (
            Association.objects.select_for_update().select_related("integration", "organization").get(pk=association.pk)
        )
        if association.status != AssociationStatus.PENDING:
            raise ActionRefused(f"This request is already {association.get_status_display().lower()}.")
        association.status = AssociationStatus.WITHDRAWN
        association.decided_at = timezone.now()
        association.save(update_fields=["status", "decided_at"])
        record(
            actor=acting_user,
            kind="association.withdrawn",
            organization=association.integration.owner,
            target=association,
            target_label=association.organization.name,
            within=association.integration,
            from_state=AssociationStatus.PENDING,
            to_state=AssociationStatus.WITHDRAWN,
        )
    return association


# --- Emails, sent after commit, with ids --------------------------------------------------


def _association(pk: int) -> Association:
    return Association.objects.select_related("integration__owner", "organization", "requested_by").get(pk=pk)


def _send(subject: str, template: str, context: dict, recipient: str) -> None:
    send_mail(f"[iPaaS.com] {subject}", render_to_string(template, context), None, [recipient])


def send_association_requested(association_pk: int) -> None:
    """The owner's owners and admins decide, so each of them hears of the request."""
    association = _association(association_pk)
    integration = association.integration
    managers = integration.owner.memberships.filter(role__in=MANAGER_ROLES, user__is_active=True)
    context = {
        "association": association,
        "decide_url": absolute_url(reverse("integration_associations", args=[integration.slug])),
    }
    for email in managers.values_list("user__email", flat=True):
        _send(
            f"{association.organization.name} asks to work on {integration.name}",
            "integrations/associations/email/association_requested.txt",
            context,
            email,
        )


def send_association_decided(association_pk: int) -> None:
    association = _association(association_pk)
    if association.requested_by is None or not association.requested_by.is_active:
        return
    integration = association.integration
    context = {
        "association": association,
        "accepted": association.status == AssociationStatus.ACCEPTED,
        "ended": association.status == AssociationStatus.ENDED,
        "integration_url": absolute_url(reverse("integration_detail", args=[integration.slug])),
    }
    outcome = {
        AssociationStatus.ACCEPTED: "accepted",
        AssociationStatus.DECLINED: "declined",
        AssociationStatus.ENDED: "ended",
    }[association.status]
    _send(
        f"Your association with {integration.name} was {outcome}",
        "integrations/associations/email/association_decided.txt",
        context,
        association.requested_by.email,
    )
