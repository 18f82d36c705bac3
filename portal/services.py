"""Every change to organizations, memberships and invitations goes through one of these actions.

Each action checks the allowed from-state inside a transaction that locks the organization row
(so two requests cannot both remove "the other" owner), records an AuditEvent, and sends its
email only once the transaction has committed.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from portal import notifications, signals
from portal.models import (
    AuditEvent,
    Invitation,
    InvitationStatus,
    Membership,
    Organization,
    Role,
    User,
    save_with_unique_slug,
)


class ActionRefused(Exception):
    """The action is not allowed in the current state; the message is shown to the person."""


def record(*, actor, action: str, organization=None, target="", from_state="", to_state="", comment=""):
    return AuditEvent.objects.create(
        actor=actor,
        organization=organization,
        action=action,
        target=str(target)[:200],
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )


def _lock(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def create_organization(*, user: User, name: str, kinds: Iterable[str], website: str = "") -> Organization:
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).exists()  # one creation per person at a time
        if Organization.objects.filter(memberships__user=user, name__iexact=name).exists():
            raise ActionRefused(f"You already have an organization named “{name}”.")
        organization = Organization(name=name, website=website, created_by=user)
        organization.set_kinds(kinds)
        save_with_unique_slug(organization, name)
        Membership.objects.create(organization=organization, user=user, role=Role.OWNER)
        record(actor=user, action="organization.created", organization=organization, target=organization.name)
    return organization


def update_organization_profile(
    organization: Organization, *, acting_user: User, name: str, kinds: Iterable[str], website: str
) -> Organization:
    kinds = list(kinds)
    if not kinds:
        raise ActionRefused("Choose at least one kind of organization.")
    fields = ["name", "website", "is_provider", "is_integrator", "is_misp", "is_customer"]
    with transaction.atomic():
        organization = _lock(organization)
        before = f"{organization.name} [{', '.join(organization.kinds)}]"
        old = [getattr(organization, field) for field in fields]
        organization.name = name
        organization.website = website
        organization.set_kinds(kinds)
        organization.save(update_fields=fields)
        changed = frozenset(f for f, value in zip(fields, old, strict=True) if getattr(organization, f) != value)
        if changed:
            signals.organization_profile_changed.send(sender=Organization, organization=organization, changed=changed)
        after = f"{organization.name} [{', '.join(organization.kinds)}]"
        record(
            actor=acting_user,
            action="organization.updated",
            organization=organization,
            target=organization.name,
            from_state=before[:60],
            to_state=after[:60],
        )
    return organization


def invite_member(
    organization: Organization, *, acting_user: User, email: str, role: str, as_staff: bool = False
) -> Invitation:
    email = email.strip().lower()
    if role == Role.OWNER and not _may_manage_owners(organization, acting_user, as_staff=as_staff):
        raise ActionRefused("Only an owner can invite another owner.")
    with transaction.atomic():
        organization = _lock(organization)
        if organization.memberships.filter(user__emailaddress__email__iexact=email).exists() or (
            organization.memberships.filter(user__email__iexact=email).exists()
        ):
            raise ActionRefused(f"{email} is already a member of {organization.name}.")
        pending = organization.invitations.filter(email__iexact=email, status=InvitationStatus.PENDING).first()
        if pending and not pending.is_expired:
            raise ActionRefused(f"{email} already has a pending invitation. You can re-send it from the list below.")
        if pending:
            # An expired invitation no longer counts; a fresh one replaces it.
            pending.status = InvitationStatus.REVOKED
            pending.responded_at = timezone.now()
            pending.save(update_fields=["status", "responded_at"])
        invitation = Invitation.objects.create(
            organization=organization, email=email, role=role, invited_by=acting_user
        )
        record(
            actor=acting_user,
            action="invitation.sent",
            organization=organization,
            target=email,
            to_state=role,
        )
        transaction.on_commit(lambda: notifications.send_invitation(invitation.pk))
    return invitation


def resend_invitation(invitation: Invitation, *, acting_user: User) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != InvitationStatus.PENDING:
            raise ActionRefused("Only a pending invitation can be re-sent.")
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
        record(
            actor=acting_user, action="invitation.resent", organization=invitation.organization, target=invitation.email
        )
        transaction.on_commit(lambda: notifications.send_invitation(invitation.pk))
    return invitation


def revoke_invitation(invitation: Invitation, *, acting_user: User) -> Invitation:
    return _close_invitation(invitation, actor=acting_user, to=InvitationStatus.REVOKED, action="invitation.revoked")


def decline_invitation(invitation: Invitation, *, user: User) -> Invitation:
    if not user_may_answer(invitation, user):
        raise ActionRefused(_wrong_recipient_message(invitation))
    return _close_invitation(invitation, actor=user, to=InvitationStatus.DECLINED, action="invitation.declined")


def _close_invitation(invitation: Invitation, *, actor: User, to: str, action: str) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != InvitationStatus.PENDING:
            raise ActionRefused(f"This invitation is already {invitation.get_status_display().lower()}.")
        invitation.status = to
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
        record(
            actor=actor,
            action=action,
            organization=invitation.organization,
            target=invitation.email,
            from_state=InvitationStatus.PENDING,
            to_state=to,
        )
    return invitation


def user_may_answer(invitation: Invitation, user: User) -> bool:
    """Only the person the invitation was sent to, proven by a verified address, may answer it."""
    return user.emailaddress_set.filter(email__iexact=invitation.email, verified=True).exists()


def _wrong_recipient_message(invitation: Invitation) -> str:
    return (
        f"This invitation was sent to {invitation.email}. Sign in with that address "
        "(or add and verify it in your account) to accept it."
    )


def accept_invitation(invitation: Invitation, *, user: User) -> Membership:
    if not user_may_answer(invitation, user):
        raise ActionRefused(_wrong_recipient_message(invitation))
    with transaction.atomic():
        _lock(invitation.organization)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != InvitationStatus.PENDING:
            raise ActionRefused(f"This invitation is already {invitation.get_status_display().lower()}.")
        if invitation.is_expired:
            raise ActionRefused("This invitation has expired. Ask the organization to send a new one.")
        membership, created = Membership.objects.get_or_create(
            organization=invitation.organization, user=user, defaults={"role": invitation.role}
        )
        invitation.status = InvitationStatus.ACCEPTED
        invitation.responded_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["status", "responded_at", "accepted_by"])
        record(
            actor=user,
            action="invitation.accepted",
            organization=invitation.organization,
            target=invitation.email,
            from_state=InvitationStatus.PENDING,
            to_state=membership.role if created else "already a member",
        )
    return membership


def _is_owner(organization: Organization, user: User) -> bool:
    return organization.memberships.filter(user=user, role=Role.OWNER).exists()


def _may_manage_owners(organization: Organization, acting_user: User, *, as_staff: bool) -> bool:
    """Owners grant, take away and invite the owner role. `as_staff` is Red Rook staff acting in the
    admin (an organization left without a reachable owner is helped there); the last-owner rule
    still holds for them."""
    if as_staff:
        return acting_user.is_staff
    return _is_owner(organization, acting_user)


def _refuse_if_last_owner(organization: Organization, membership: Membership, what: str) -> None:
    if membership.role == Role.OWNER and organization.memberships.filter(role=Role.OWNER).count() == 1:
        raise ActionRefused(
            f"{membership.user} is the last owner of {organization.name}; {what}. Make someone else an owner first."
        )


def change_member_role(membership: Membership, *, acting_user: User, role: str, as_staff: bool = False) -> Membership:
    if role not in Role.values:
        raise ActionRefused("Choose owner, admin or member.")
    with transaction.atomic():
        organization = _lock(membership.organization)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        touches_owner = role == Role.OWNER or membership.role == Role.OWNER
        if touches_owner and not _may_manage_owners(organization, acting_user, as_staff=as_staff):
            raise ActionRefused("Only an owner can grant or take away the owner role.")
        if membership.role == role:
            return membership
        if role != Role.OWNER:
            _refuse_if_last_owner(organization, membership, "the role cannot change")
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record(
            actor=acting_user,
            action="membership.role_changed",
            organization=organization,
            target=membership.user.email,
            from_state=before,
            to_state=role,
        )
    return membership


def remove_member(membership: Membership, *, acting_user: User, as_staff: bool = False) -> None:
    leaving = membership.user_id == acting_user.pk
    with transaction.atomic():
        organization = _lock(membership.organization)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Role.OWNER and not (
            leaving or _may_manage_owners(organization, acting_user, as_staff=as_staff)
        ):
            raise ActionRefused("Only an owner can remove another owner.")
        _refuse_if_last_owner(organization, membership, "they cannot be removed")
        record(
            actor=acting_user,
            action="membership.left" if leaving else "membership.removed",
            organization=organization,
            target=membership.user.email,
            from_state=membership.role,
            to_state="removed",
        )
        membership.delete()
