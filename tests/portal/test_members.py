import pytest
from django.core import mail
from django.urls import reverse

from portal import services
from portal.models import AuditEvent, Invitation, InvitationStatus, Membership, Role
from tests.conftest import client_for
from tests.factories import InvitationFactory, MembershipFactory, UserFactory


def _invite(client, email="newcomer@example.com", role="member"):
    return client.post(reverse("member_invite"), {"email": email, "role": role})


def test_an_owner_invites_someone_and_an_email_with_a_signed_link_is_sent(
    alice, northwind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client_for(alice), "Newcomer@Example.com")
    assert response.status_code == 302
    invitation = Invitation.objects.get(organization=northwind)
    assert invitation.email == "newcomer@example.com" and invitation.status == InvitationStatus.PENDING
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newcomer@example.com"]
    assert "Northwind Integrations" in message.subject
    assert invitation.get_absolute_url() in message.body
    assert AuditEvent.objects.get(kind="invitation.sent").target == invitation


def test_the_invitation_email_is_sent_only_after_the_transaction_commits(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _invite(client_for(alice))
    assert len(mail.outbox) == 0
    assert len(callbacks) == 1


def test_inviting_an_address_twice_is_refused_with_a_message(alice, northwind):
    client = client_for(alice)
    _invite(client)
    response = _invite(client)
    assert response.status_code == 400
    assert "already has a pending invitation" in response.content.decode()
    assert Invitation.objects.filter(organization=northwind).count() == 1


def test_inviting_an_existing_member_is_refused(alice, ivy, northwind):
    response = _invite(client_for(alice), ivy.email.upper())
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.filter(organization=northwind).exists()


def test_an_expired_pending_invitation_is_replaced_by_a_new_one(alice, northwind, settings):
    old = InvitationFactory(organization=northwind, email="late@example.com")
    Invitation.objects.filter(pk=old.pk).update(sent_at=old.sent_at - __import__("datetime").timedelta(days=30))
    assert _invite(client_for(alice), "late@example.com").status_code == 302
    old.refresh_from_db()
    assert old.status == InvitationStatus.REVOKED
    assert Invitation.objects.filter(email="late@example.com", status=InvitationStatus.PENDING).count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not-an-email", "role": "member"}, "Enter a valid email address."),
        ({"email": "", "role": "member"}, "This field is required."),
        ({"email": "x@example.com", "role": "emperor"}, "Select a valid choice."),
        ({"email": ("a" * 300) + "@example.com", "role": "member"}, "at most 254 characters"),
    ],
)
def test_a_bad_invitation_form_shows_the_problem(alice, northwind, data, message):
    response = client_for(alice).post(reverse("member_invite"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_admin_cannot_invite_an_owner(alice, northwind):
    admin = UserFactory()
    MembershipFactory(user=admin, organization=northwind, role=Role.ADMIN)
    response = _invite(client_for(admin), role="owner")
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_an_owner_changes_a_members_role_and_it_is_recorded(alice, ivy, northwind):
    membership = ivy.memberships.get()
    response = client_for(alice).post(reverse("member_role", args=[membership.public_id]), {"role": "admin"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    event = AuditEvent.objects.get(kind="membership.role_changed")
    assert (event.actor, event.from_state, event.to_state) == (alice, "member", "admin")


def test_the_last_owner_cannot_be_demoted(alice, northwind):
    membership = alice.memberships.get()
    response = client_for(alice).post(
        reverse("member_role", args=[membership.public_id]), {"role": "member"}, follow=True
    )
    assert "is the last owner" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_the_last_owner_cannot_leave_or_be_removed(alice, northwind):
    client = client_for(alice)
    response = client.post(reverse("organization_leave"), follow=True)
    assert "is the last owner" in response.content.decode()
    with pytest.raises(services.ActionRefused):
        services.remove_member(alice.memberships.get(), acting_user=alice)
    assert Membership.objects.filter(user=alice, organization=northwind).exists()


def test_an_owner_can_leave_once_there_is_another_owner(alice, ivy, northwind):
    client = client_for(alice)
    client.post(reverse("member_role", args=[ivy.memberships.get().public_id]), {"role": "owner"})
    client.post(reverse("organization_leave"))
    assert not Membership.objects.filter(user=alice, organization=northwind).exists()


def test_an_admin_cannot_remove_or_demote_an_owner(alice, northwind):
    admin = UserFactory()
    MembershipFactory(user=admin, organization=northwind, role=Role.ADMIN)
    owner_membership = alice.memberships.get()
    client = client_for(admin)
    client.post(reverse("member_remove", args=[owner_membership.public_id]))
    client.post(reverse("member_role", args=[owner_membership.public_id]), {"role": "member"})
    owner_membership.refresh_from_db()
    assert owner_membership.role == Role.OWNER


def test_an_owner_removes_a_member(alice, ivy, northwind):
    membership = ivy.memberships.get()
    response = client_for(alice).post(reverse("member_remove", args=[membership.public_id]))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=ivy).exists()
    event = AuditEvent.objects.get(kind="membership.removed")
    assert (event.target_id, event.target_label) == (membership.pk, ivy.get_full_name())


def test_a_bad_role_value_changes_nothing(alice, ivy):
    membership = ivy.memberships.get()
    response = client_for(alice).post(reverse("member_role", args=[membership.public_id]), {"role": "god"}, follow=True)
    assert "Choose owner, admin or member." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_an_owner_cannot_touch_another_organizations_members(alice, bob, bluebird):
    target = bob.memberships.get()
    client = client_for(alice)
    assert client.post(reverse("member_remove", args=[target.public_id])).status_code == 404
    assert client.post(reverse("member_role", args=[target.public_id]), {"role": "member"}).status_code == 404
    target.refresh_from_db()
    assert target.role == Role.OWNER


def test_an_owner_cannot_resend_or_revoke_another_organizations_invitations(alice, bluebird):
    invitation = InvitationFactory(organization=bluebird)
    client = client_for(alice)
    assert client.post(reverse("invitation_revoke", args=[invitation.public_id])).status_code == 404
    assert client.post(reverse("invitation_resend", args=[invitation.public_id])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_the_members_page_shows_only_this_organizations_members_and_invitations(alice, ivy, bob, bluebird):
    InvitationFactory(organization=bluebird, email="secret-hire@bluebird.example.com")
    content = client_for(alice).get(reverse("member_list")).content.decode()
    assert ivy.email in content
    assert bob.email not in content and "secret-hire" not in content


def test_a_plain_member_sees_members_but_not_invitations_or_controls(alice, ivy, northwind):
    InvitationFactory(organization=northwind, email="pending@example.com")
    content = client_for(ivy).get(reverse("member_list")).content.decode()
    assert alice.email in content
    assert "pending@example.com" not in content and "Send invitation" not in content


def test_revoking_an_invitation_closes_its_link(alice, northwind):
    invitation = InvitationFactory(organization=northwind)
    url = invitation.get_absolute_url()
    client_for(alice).post(reverse("invitation_revoke", args=[invitation.public_id]))
    response = client_for(None).get(url)
    assert response.status_code == 410
    assert "revoked" in response.content.decode()


def test_resending_an_invitation_replaces_the_old_link(alice, northwind, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(organization=northwind, invited_by=alice)
    old_url = invitation.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice).post(reverse("invitation_resend", args=[invitation.public_id]))
    invitation.refresh_from_db()
    assert client_for(None).get(old_url).status_code == 410
    assert client_for(None).get(invitation.get_absolute_url()).status_code == 200
    assert invitation.get_absolute_url() in mail.outbox[-1].body


def test_members_page_query_count_is_constant(alice, northwind, django_assert_max_num_queries):
    client = client_for(alice)
    for _ in range(20):
        MembershipFactory(organization=northwind)
        InvitationFactory(organization=northwind)
    with django_assert_max_num_queries(14):
        client.get(reverse("member_list"))


@pytest.fixture
def small_pages(monkeypatch):
    from portal.views import members

    monkeypatch.setattr(members, "MEMBERS_PER_PAGE", 5)
    monkeypatch.setattr(members, "INVITATIONS_PER_PAGE", 5)


def crowd(organization, count):
    for n in range(count):
        MembershipFactory(organization=organization, user=UserFactory(email=f"crowd{n:02}@example.com"))
        InvitationFactory(organization=organization, email=f"invitee{n:02}@example.com")


def test_the_members_and_invitations_are_each_listed_a_page_at_a_time(
    alice, northwind, small_pages, django_assert_max_num_queries
):
    crowd(northwind, 12)  # 13 members with alice, 12 invitations
    client = client_for(alice)
    with django_assert_max_num_queries(14):
        first = client.get(reverse("member_list")).content.decode()
    assert "13 members, 1 to 5 below" in first and "Pending invitations (12)" in first
    assert "crowd03@example.com" in first and "crowd04@example.com" not in first
    assert "invitee11@example.com" in first and "invitee06@example.com" not in first  # newest first
    assert "Page 1 of 3" in first
    assert f'href="{reverse("member_list")}?members_page=2"' in first
    later = client.get(reverse("member_list"), {"members_page": 3, "invitations_page": 2}).content.decode()
    assert "crowd11@example.com" in later and "crowd03@example.com" not in later
    assert "invitee06@example.com" in later and "invitee11@example.com" not in later
    # Each list keeps the other's page in its links.
    assert "members_page=3&amp;invitations_page=3" in later and "members_page=2&amp;invitations_page=2" in later


def test_the_members_page_costs_the_same_queries_whatever_the_number_of_rows(
    alice, northwind, small_pages, django_assert_max_num_queries
):
    client = client_for(alice)
    crowd(northwind, 6)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("member_list"), {"members_page": 2, "invitations_page": 2})
    for n in range(6, 30):
        MembershipFactory(organization=northwind, user=UserFactory(email=f"crowd{n:02}@example.com"))
        InvitationFactory(organization=northwind, email=f"invitee{n:02}@example.com")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("member_list"), {"members_page": 2, "invitations_page": 2})


def test_a_refused_invitation_shows_the_members_page_with_links_back_to_it(alice, northwind, small_pages):
    crowd(northwind, 12)
    response = client_for(alice).post(reverse("member_invite"), {"email": "not-an-email", "role": "member"})
    page = response.content.decode()
    assert response.status_code == 400 and "Enter a valid email address." in page
    assert f'href="{reverse("member_list")}?members_page=2"' in page
    assert f'href="{reverse("member_list")}?invitations_page=2"' in page
    assert "crowd00@example.com" in page and "invitee11@example.com" in page


def test_the_invite_form_and_actions_are_on_every_page(alice, northwind, small_pages):
    crowd(northwind, 12)
    client = client_for(alice)
    page = client.get(reverse("member_list"), {"members_page": 3, "invitations_page": 3}).content.decode()
    assert f'action="{reverse("member_invite")}"' in page
    last = Membership.objects.get(user__email="crowd11@example.com")
    assert f'action="{reverse("member_role", args=[last.public_id])}"' in page
    oldest = Invitation.objects.get(email="invitee00@example.com")
    assert f'action="{reverse("invitation_revoke", args=[oldest.public_id])}"' in page
    response = client.post(reverse("invitation_revoke", args=[oldest.public_id]))
    assert response.status_code == 302
    oldest.refresh_from_db()
    assert oldest.status == InvitationStatus.REVOKED


@pytest.mark.parametrize("bad", ["x", "-1", "0", "999", "1e9", "2.5"])
def test_a_page_number_that_is_not_one_answers_a_page(alice, northwind, small_pages, bad):
    crowd(northwind, 6)
    response = client_for(alice).get(reverse("member_list"), {"members_page": bad, "invitations_page": bad})
    assert response.status_code == 200


def test_an_action_answers_the_pages_it_was_taken_from(alice, northwind, small_pages):
    crowd(northwind, 12)
    client = client_for(alice)
    page = client.get(reverse("member_list"), {"members_page": 3, "invitations_page": 2}).content.decode()
    assert '<input type="hidden" name="members_page" value="3">' in page
    assert '<input type="hidden" name="invitations_page" value="2">' in page
    member = Membership.objects.get(user__email="crowd11@example.com")
    response = client.post(
        reverse("member_role", args=[member.public_id]), {"role": "admin", "members_page": 3, "invitations_page": 2}
    )
    assert response["Location"] == reverse("member_list") + "?members_page=3&invitations_page=2"
    response = client.post(reverse("member_invite"), {"email": "new@example.com", "role": "member", "members_page": 2})
    assert response["Location"] == reverse("member_list") + "?members_page=2"


def test_a_refused_invitation_shows_the_pages_it_was_sent_from(alice, northwind, small_pages):
    crowd(northwind, 12)
    data = {"email": "not-an-email", "role": "member", "members_page": "3", "invitations_page": "x"}
    page = client_for(alice).post(reverse("member_invite"), data).content.decode()
    assert "crowd11@example.com" in page and "crowd00@example.com" not in page
    assert "invitee11@example.com" in page  # not a page number: the first page


def test_a_page_posted_that_is_not_a_number_answers_the_first_pages(alice, ivy, northwind):
    member = Membership.objects.get(user=ivy, organization=northwind)
    response = client_for(alice).post(
        reverse("member_role", args=[member.public_id]), {"role": "admin", "members_page": "//evil.example.com"}
    )
    assert response["Location"] == reverse("member_list")
