"""Every change to organizations, memberships and invitations goes through one of these actions.

Each action checks the allowed from-state inside a transaction that locks the organization row
(so two requests cannot both remove "the other" owner), records an AuditEvent, and sends its
email only once the transaction has committed.
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from portal import audit, notifications, signals
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


def audit_event(
    *,
    actor: User | None,
    kind: str,
    target: models.Model | None = None,
    within: models.Model | None = None,
    organization: Organization | None = None,
    target_label: str | None = None,
    within_label: str | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
) -> AuditEvent:
    """The unsaved row of one change of `kind` (registered in portal.audit) to `target`, which also belongs to
    the history of `within` (a row to its template mapping's). The labels default to the objects'
    names; they are what the event shows once the objects are gone. Call it before deleting the
    target: a deleted object has no id left to point at."""
    audit.get_kind(kind)  # an unregistered kind is a mistake in the code, never stored
    return AuditEvent(
        organization=organization,
        organization_name=organization.name if organization else "",
        actor=actor,
        actor_name=actor.get_full_name() if actor else "",
        kind=kind,
        target_type=_content_type(target),
        target_id=target.pk if target is not None else None,
        target_label=_label(target, target_label),
        within_type=_content_type(within),
        within_id=within.pk if within is not None else None,
        within_label=_label(within, within_label),
        from_state=str(from_state)[:60],
        to_state=str(to_state)[:60],
        comment=comment,
    )


def record(**change) -> AuditEvent:
    """Record one change: audit_event's arguments, saved."""
    event = audit_event(**change)
    event.save()
    return event


def record_many(events: Iterable[AuditEvent]) -> int:
    """Save many audit_event rows at once; answers how many. On PostgreSQL by COPY, the rows as
    bulk_create would write them (and, like it, without signals): its INSERT of thousands of rows
    of fifteen columns cost more in preparing and parsing parameters than the rows cost to write."""
    events = list(events)
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(events, batch_size=1000)
        return len(events)
    database = transaction.get_connection()  # the connection itself: each use of the proxy costs a lookup
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    _copy_events(
        [field.column for field in fields],
        ([field.get_db_prep_save(field.pre_save(event, True), database) for field in fields] for event in events),
    )
    return len(events)


class Change(NamedTuple):
    """One change the portal made by itself (no person acted), as record_changes takes it."""

    organization_id: int | None
    organization_name: str
    target_id: int
    target_label: str
    within_id: int | None
    within_label: str
    from_state: str
    to_state: str
    comment: str


_CHANGE_COLUMNS = (
    "organization_id",
    "organization_name",
    "actor_name",
    "kind",
    "target_type_id",
    "target_id",
    "target_label",
    "within_type_id",
    "within_id",
    "within_label",
    "from_state",
    "to_state",
    "comment",
    "created_at",
)


def record_changes(
    kind: str, target: type[models.Model], within: type[models.Model] | None, changes: Iterable[Change]
) -> int:
    """Record changes of `kind` the portal made by itself to objects of the model `target`, each
    within an object of `within`, given as plain values: the rows audit_event would make of the
    same objects. A scoring run's first night changes thousands of listings, and loading them
    with their integrations and owners to build audit_event's models took longer than writing
    every listing. Answers how many."""
    audit.get_kind(kind)
    target_type = ContentType.objects.get_for_model(target).pk
    within_type = ContentType.objects.get_for_model(within).pk if within is not None else None
    now = timezone.now()
    rows = [
        (
            change.organization_id,
            change.organization_name,
            "",
            kind,
            target_type,
            change.target_id,
            str(change.target_label)[:200],
            within_type if change.within_id is not None else None,
            change.within_id,
            str(change.within_label)[:200],
            str(change.from_state)[:60],
            str(change.to_state)[:60],
            change.comment,
            now,
        )
        for change in changes
    ]
    if connection.vendor == "postgresql":
        _copy_events(_CHANGE_COLUMNS, rows)
    else:
        AuditEvent.objects.bulk_create(
            [AuditEvent(**dict(zip(_CHANGE_COLUMNS, row, strict=True))) for row in rows], batch_size=1000
        )
    return len(rows)


def _copy_events(columns: Iterable[str], rows: Iterable) -> None:
    database = transaction.get_connection()
    names = ", ".join(database.ops.quote_name(column) for column in columns)
    with database.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {AuditEvent._meta.db_table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _content_type(obj: models.Model | None) -> ContentType | None:
    return ContentType.objects.get_for_model(obj) if obj is not None else None


def _label(obj: models.Model | None, label: str | None) -> str:
    return str(label if label is not None else (obj if obj is not None else ""))[:200]


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
        membership = Membership.objects.create(organization=organization, user=user, role=Role.OWNER)
        record(actor=user, kind="organization.created", organization=organization, target=organization)
        record(
            actor=user,
            kind="membership.joined",
            organization=organization,
            target=membership,
            target_label=user.get_full_name(),
            to_state=Role.OWNER,
        )
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
            kind="organization.updated",
            organization=organization,
            target=organization,
            from_state=before,
            to_state=after,
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
            kind="invitation.sent",
            organization=organization,
            target=invitation,
            target_label=email,
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
            actor=acting_user,
            kind="invitation.resent",
            organization=invitation.organization,
            target=invitation,
            target_label=invitation.email,
        )
        transaction.on_commit(lambda: notifications.send_invitation(invitation.pk))
    return invitation


def revoke_invitation(invitation: Invitation, *, acting_user: User) -> Invitation:
    return _close_invitation(invitation, actor=acting_user, to=InvitationStatus.REVOKED, kind="invitation.revoked")


def decline_invitation(invitation: Invitation, *, user: User) -> Invitation:
    if not user_may_answer(invitation, user):
        raise ActionRefused(_wrong_recipient_message(invitation))
    return _close_invitation(invitation, actor=user, to=InvitationStatus.DECLINED, kind="invitation.declined")


def _close_invitation(invitation: Invitation, *, actor: User, to: str, kind: str) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != InvitationStatus.PENDING:
            raise ActionRefused(f"This invitation is already {invitation.get_status_display().lower()}.")
        invitation.status = to
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
        record(
            actor=actor,
            kind=kind,
            organization=invitation.organization,
            target=invitation,
            target_label=invitation.email,
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
            kind="invitation.accepted",
            organization=invitation.organization,
            target=invitation,
            target_label=invitation.email,
            from_state=InvitationStatus.PENDING,
            to_state=membership.role if created else "already a member",
        )
        if created:
            record(
                actor=user,
                kind="membership.joined",
                organization=invitation.organization,
                target=membership,
                target_label=user.get_full_name(),
                to_state=membership.role,
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
            kind="membership.role_changed",
            organization=organization,
            target=membership,
            target_label=membership.user.get_full_name(),
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
            kind="membership.left" if leaving else "membership.removed",
            organization=organization,
            target=membership,
            target_label=membership.user.get_full_name(),
            from_state=membership.role,
            to_state="removed",
        )
        membership.delete()
