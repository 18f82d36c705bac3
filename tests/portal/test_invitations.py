import datetime

from allauth.account.models import EmailAddress
from django.core import signing
from django.urls import reverse

from portal.invitations import SALT, invitation_token
from portal.models import AuditEvent, Invitation, InvitationStatus, Membership, Role
from portal.tenancy import ACTING_ORGANIZATION_KEY
from tests.conftest import client_for
from tests.factories import InvitationFactory, UserFactory


def _invitation(northwind, alice, email="newcomer@example.com", role=Role.MEMBER):
    return InvitationFactory(organization=northwind, invited_by=alice, email=email, role=role)


def test_the_invited_person_accepts_and_becomes_a_member_acting_for_the_organization(alice, northwind):
    invitation = _invitation(northwind, alice, role=Role.ADMIN)
    newcomer = UserFactory(email="newcomer@example.com")
    client = client_for(newcomer)
    assert client.get(invitation.get_absolute_url()).status_code == 200
    response = client.post(reverse("invitation_accept", args=[invitation_token(invitation)]))
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer, organization=northwind).role == Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.accepted_by == newcomer
    assert client.session[ACTING_ORGANIZATION_KEY] == str(northwind.public_id)
    assert AuditEvent.objects.filter(kind="invitation.accepted", actor=newcomer).exists()


def test_accepting_twice_does_not_apply_twice(alice, northwind):
    invitation = _invitation(northwind, alice)
    newcomer = UserFactory(email="newcomer@example.com")
    client = client_for(newcomer)
    url = reverse("invitation_accept", args=[invitation_token(invitation)])
    client.post(url)
    second = client.post(url)
    assert second.status_code == 410
    assert Membership.objects.filter(user=newcomer, organization=northwind).count() == 1
    assert AuditEvent.objects.filter(kind="invitation.accepted").count() == 1


def test_an_invitation_to_a_different_email_is_refused(alice, northwind, bob):
    invitation = _invitation(northwind, alice)
    client = client_for(bob)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 403
    assert "this invitation was sent to newcomer@example.com" in response.content.decode()
    response = client.post(reverse("invitation_accept", args=[invitation_token(invitation)]))
    assert response.status_code == 403
    assert not Membership.objects.filter(user=bob, organization=northwind).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_an_unverified_address_does_not_count_as_the_invited_person(alice, northwind):
    invitation = _invitation(northwind, alice)
    user = UserFactory(email="someone@example.com")
    EmailAddress.objects.create(user=user, email="newcomer@example.com", verified=False)
    response = client_for(user).post(reverse("invitation_accept", args=[invitation_token(invitation)]))
    assert response.status_code == 403
    assert not Membership.objects.filter(user=user).exists()


def test_a_forged_invitation_link_is_refused(alice, northwind):
    invitation = _invitation(northwind, alice)
    forged = signing.Signer(salt="someone-elses-salt").sign_object({"id": str(invitation.public_id), "sent": 1.0})
    tampered = invitation_token(invitation)[:-3] + "AAA"
    for token in (forged, tampered, "garbage", "a" * 2000):
        response = client_for(None).get(reverse("invitation_detail", args=[token]))
        assert response.status_code == 404
        assert "not valid" in response.content.decode()


def test_a_correctly_signed_link_to_an_unknown_invitation_is_refused(db):
    token = signing.Signer(salt=SALT).sign_object({"id": "00000000-0000-0000-0000-000000000000", "sent": 1e12})
    assert client_for(None).get(reverse("invitation_detail", args=[token])).status_code == 404


def test_an_expired_invitation_is_refused_with_410(alice, northwind):
    invitation = _invitation(northwind, alice)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=invitation.sent_at - datetime.timedelta(days=8))
    invitation.refresh_from_db()
    newcomer = UserFactory(email="newcomer@example.com")
    response = client_for(newcomer).get(invitation.get_absolute_url())
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    client_for(newcomer).post(reverse("invitation_accept", args=[invitation_token(invitation)]))
    assert not Membership.objects.filter(user=newcomer).exists()


def test_declining_closes_the_invitation(alice, northwind):
    invitation = _invitation(northwind, alice)
    newcomer = UserFactory(email="newcomer@example.com")
    client_for(newcomer).post(reverse("invitation_decline", args=[invitation_token(invitation)]))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert not Membership.objects.filter(user=newcomer).exists()


def test_anonymous_visitor_sees_sign_up_and_sign_in_and_is_brought_back_after_signing_in(alice, northwind):
    invitation = _invitation(northwind, alice)
    UserFactory(email="newcomer@example.com")
    client = client_for(None)
    page = client.get(invitation.get_absolute_url()).content.decode()
    assert "Sign up" in page and "Sign in" in page
    from tests.factories import PASSWORD

    response = client.post(reverse("account_login"), {"login": "newcomer@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == invitation.get_absolute_url()


def test_open_invitations_for_the_person_show_on_the_home_page(alice, northwind):
    _invitation(northwind, alice)
    InvitationFactory(email="somebody-else@example.com")
    newcomer = UserFactory(email="newcomer@example.com")
    content = client_for(newcomer).get("/").content.decode()
    assert "Northwind Integrations" in content and "Invitations for you" in content
    assert content.count("Review the invitation") == 1
