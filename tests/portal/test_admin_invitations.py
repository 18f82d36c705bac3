"""Staff invite people in the admin through invite_member (audit row, the email after commit, the
same refusals), and re-send or revoke with the list's actions; a sent invitation is not edited or
deleted there."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail

from portal.models import AuditEvent, Invitation, InvitationStatus, Role
from tests.admin_forms import admin_url
from tests.conftest import client_for
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def invite(client, organization, email="newcomer@example.com", role=Role.MEMBER):
    return client.post(admin_url(Invitation, "add"), {"organization": organization.pk, "email": email, "role": role})


def act(client, action: str, invitations):
    data = {"action": action, ACTION_CHECKBOX_NAME: [invitation.pk for invitation in invitations]}
    return client.post(admin_url(Invitation, "changelist"), data, follow=True)


def test_staff_invite_someone_and_the_email_goes_after_commit(
    sam, alice, northwind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(sam), northwind, "Newcomer@Example.com")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.invited_by, invitation.status) == (
        "newcomer@example.com",
        sam,
        InvitationStatus.PENDING,
    )
    assert [message.to for message in mail.outbox] == [["newcomer@example.com"]]
    assert invitation.get_absolute_url() in mail.outbox[0].body
    event = AuditEvent.objects.get(kind="invitation.sent")
    assert (event.actor, event.organization, event.target, event.to_state) == (
        sam,
        northwind,
        invitation,
        Role.MEMBER,
    )


def test_staff_may_invite_an_owner_though_they_are_not_one(sam, alice, northwind):
    assert invite(client_for(sam), northwind, role=Role.OWNER).status_code == 302
    assert Invitation.objects.get().role == Role.OWNER


def test_inviting_an_existing_member_is_refused_on_the_form(sam, alice, ivy, northwind):
    response = invite(client_for(sam), northwind, ivy.email)
    assert response.status_code == 200
    assert "is already a member of Northwind Integrations" in response.content.decode()
    assert response.context["adminform"].form.data["email"] == ivy.email, "what was typed is shown again"
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


def test_a_sent_invitation_is_neither_edited_nor_deleted_in_the_admin(sam, northwind):
    invitation = InvitationFactory(organization=northwind, email="someone@example.com")
    client = client_for(sam)
    assert client.get(admin_url(Invitation, "change", invitation.pk)).status_code == 200
    changed = client.post(admin_url(Invitation, "change", invitation.pk), {"email": "other@example.com"})
    deleted = client.post(admin_url(Invitation, "delete", invitation.pk), {"post": "yes"})
    assert (changed.status_code, deleted.status_code) == (403, 403)
    invitation.refresh_from_db()
    assert invitation.email == "someone@example.com"


def test_staff_resend_an_invitation_and_it_is_recorded(sam, northwind, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(organization=northwind, email="someone@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client_for(sam), "resend_selected", [invitation])
    assert "1 invitation re-sent." in response.content.decode()
    assert [message.to for message in mail.outbox] == [["someone@example.com"]]
    assert AuditEvent.objects.filter(kind="invitation.resent", actor=sam, target_id=invitation.pk).exists()


def test_staff_revoke_invitations_and_an_already_closed_one_is_reported(sam, northwind):
    pending = InvitationFactory(organization=northwind, email="someone@example.com")
    declined = InvitationFactory(organization=northwind, email="gone@example.com", status=InvitationStatus.DECLINED)
    response = act(client_for(sam), "revoke_selected", [pending, declined])
    page = response.content.decode()
    assert "1 invitation revoked." in page and "This invitation is already declined." in page
    pending.refresh_from_db()
    declined.refresh_from_db()
    assert (pending.status, declined.status) == (InvitationStatus.REVOKED, InvitationStatus.DECLINED)
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.target) == ("invitation.revoked", sam, pending)
