"""Sign-up, verification, sign-in, password reset, two-factor, and the admin's own gate."""

import re
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from portal.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from portal.models import User
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "a-much-better-passphrase-42"


def _signup(client, email="dana@example.com"):
    return client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def _link(message) -> str:
    return re.search(r"https?://[^\s]+", message.body).group(0)


def _login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_up_sends_a_verification_email_through_the_task_and_verifying_signs_in(
    db, django_capture_on_commit_callbacks
):
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dana@example.com"]
    confirm_url = _link(mail.outbox[0])
    assert "/accounts/confirm-email/" in confirm_url
    response = client.post(confirm_url.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert response.status_code == 302
    assert client.get(reverse("organization_list")).status_code == 200  # signed in now


def test_an_unverified_person_cannot_sign_in(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client_for(None))
    client = client_for(None)
    response = _login(client, "dana@example.com")
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("organization_list")).status_code == 302


def test_signing_up_twice_with_one_address_reveals_nothing_and_creates_no_second_account(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client_for(None), alice.email.upper())
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact=alice.email).count() == 1
    assert len(mail.outbox) == 1 and "already" in mail.outbox[0].body.lower()


def test_a_forgotten_password_is_reset_by_email(alice, django_capture_on_commit_callbacks):
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": alice.email})
    path = "/" + _link(mail.outbox[-1]).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get(path, follow=True)
    action = form_page.request["PATH_INFO"]
    client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert _login(client_for(None), alice.email, NEW_PASSWORD).status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_repeated_failed_sign_ins_are_rate_limited(alice):
    client = client_for(None)
    for _ in range(5):
        assert _login(client, alice.email, "wrong-password").status_code == 200
    response = _login(client, alice.email, PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("organization_list")).status_code == 302


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_turning_on_two_factor_needs_a_recent_sign_in_and_then_sign_in_asks_for_a_code(alice):
    client = client_for(alice)  # a session without a recorded sign-in
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]

    client = client_for(None)
    _login(client, alice.email)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.RECOVERY_CODES).exists()

    fresh = client_for(None)
    response = _login(fresh, alice.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert fresh.get(reverse("organization_list")).status_code == 302
    cache.clear()  # allauth remembers used codes; in real life the next code comes 30 s later
    fresh.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert fresh.get(reverse("organization_list")).status_code == 200


def test_staff_without_two_factor_are_sent_to_turn_it_on_before_the_admin(db):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(staff)
    response = client.get(reverse("admin:index"), follow=True)
    assert (
        response.redirect_chain[-1][0].startswith(reverse("mfa_activate_totp"))
        or "reauthenticate" in (response.redirect_chain[-1][0])
    )
    assert response.status_code == 200


def test_staff_with_two_factor_use_the_admin_search(sam, alice):
    client = client_for(sam)
    assert client.get(reverse("admin:index")).status_code == 200
    response = client.get(reverse("admin:portal_organization_changelist"), {"q": "Northwind"})
    assert response.status_code == 200 and "Northwind Integrations" in response.content.decode()
    response = client.get(reverse("admin:portal_membership_changelist"), {"role__exact": "owner"})
    assert "Alice Integrator" in response.content.decode()


def test_the_admin_sign_in_goes_through_allauth(db):
    response = client_for(None).get(reverse("admin:login"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_an_idle_session_ends(alice, settings):
    client = client_for(alice)
    session = client.session
    session[SESSION_SEEN_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("organization_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_session_ends_after_the_absolute_timeout_even_when_active(alice, settings):
    client = client_for(alice)
    session = client.session
    session[SESSION_SEEN_KEY] = int(time.time())
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_TIMEOUT - 5
    session.save()
    assert client.get(reverse("organization_list")).status_code == 302


def test_an_active_session_continues(alice):
    client = client_for(alice)
    assert client.get(reverse("organization_list")).status_code == 200
    assert client.get(reverse("organization_list")).status_code == 200


def test_signing_in_rotates_the_session_key(alice):
    client = client_for(None)
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    _login(client, alice.email)
    assert client.session.session_key != before


def test_a_deactivated_person_is_signed_out_at_once(alice):
    client = client_for(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert client.get(reverse("organization_list")).status_code == 302


def test_changing_the_password_ends_other_sessions(alice):
    other_device = client_for(alice)
    this_device = client_for(None)
    _login(this_device, alice.email)
    this_device.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert this_device.get(reverse("organization_list")).status_code == 200
    assert other_device.get(reverse("organization_list")).status_code == 302
