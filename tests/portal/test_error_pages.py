"""The portal's own error pages, and bad requests that must never become a 500."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]


def test_a_missing_page_is_the_portals_own_404(alice):
    response = client_for(alice).get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content and "Northwind Integrations" in content  # inside the portal's layout


def test_a_refused_page_is_the_portals_own_403_with_the_reason(ivy):
    response = client_for(ivy).get(reverse("organization_settings"))
    assert response.status_code == 403
    assert "Only owners and admins of this organization can do that." in response.content.decode()


def test_the_500_page_stands_alone_without_a_request_context():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_an_oversized_form_post_is_a_400_page_and_changes_nothing(alice, northwind, settings):
    body = "email=a%40example.com&role=member&padding=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    response = client_for(alice).generic(
        "POST", reverse("member_invite"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert not northwind.invitations.exists()


def test_a_form_post_with_too_many_fields_is_a_400_page(alice, northwind, settings):
    body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5))
    response = client_for(alice).generic(
        "POST", reverse("member_invite"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert not northwind.invitations.exists()


def test_a_post_without_a_csrf_token_gets_the_portals_own_page(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("member_invite"), {"email": "x@example.com", "role": "member"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_adding_an_email_address_needs_a_recent_sign_in(alice):
    response = client_for(alice).post(reverse("account_email"), {"action_add": "", "email": "second@example.com"})
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert not alice.emailaddress_set.filter(email="second@example.com").exists()


def test_production_cookies_are_secure_http_only_lax_and_host_prefixed():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    env.update(
        PORTAL_ENV="production",
        SECRET_KEY="k" * 60,
        SITE_URL="https://portal.example.com",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "True", "True", "True", "Lax", "True"], (
        result.stderr
    )
