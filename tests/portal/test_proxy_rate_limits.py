"""Behind the production proxy every request comes from the proxy's address: rate limits must
count the client the proxy saw (TRUSTED_PROXY_COUNT), never believe an address a client wrote
itself, and also count failed sign-ins per account."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def _sign_in(email, password, forwarded_for):
    response = client_for(None).post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    return response


def _fail(times, email, forwarded_for):
    for _ in range(times):
        assert TOO_MANY not in _sign_in(email, "wrong-password", forwarded_for).content.decode()


def test_two_people_behind_one_proxy_are_limited_separately(settings, alice, bob):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    _fail(3, "nobody@example.com", "203.0.113.5")

    assert TOO_MANY in _sign_in(alice.email, PASSWORD, "203.0.113.5").content.decode()
    assert _sign_in(bob.email, PASSWORD, "198.51.100.7").status_code == 302


def test_an_address_a_client_wrote_before_the_proxys_is_not_believed(settings, alice):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    _fail(3, "nobody@example.com", "203.0.113.5")

    # The client sent "X-Forwarded-For: 198.51.100.7"; the proxy appended the address it saw.
    assert TOO_MANY in _sign_in(alice.email, PASSWORD, "198.51.100.7, 203.0.113.5").content.decode()


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(settings, alice):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    _fail(3, "nobody@example.com", "203.0.113.5")

    assert TOO_MANY in _sign_in(alice.email, PASSWORD, "198.51.100.7").content.decode()


def test_failed_sign_ins_to_one_account_are_limited_from_any_address(settings, alice, bob):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/5m/key"}
    for n in range(3):
        _fail(1, alice.email, f"203.0.113.{n + 10}")

    assert TOO_MANY in _sign_in(alice.email, PASSWORD, "198.51.100.99").content.decode()
    assert _sign_in(bob.email, PASSWORD, "203.0.113.10").status_code == 302


def test_the_trusted_proxy_count_comes_from_the_environment():
    from tests.portal.test_settings import _django

    result = _django(
        {"PORTAL_ENV": "test", "TRUSTED_PROXY_COUNT": "2"},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
    )
    assert result.stdout.strip().splitlines()[-1] == "2", result.stderr
