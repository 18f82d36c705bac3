"""Redis is a cache, not a single point of failure: with it down, signed-in pages, sign-in and
password reset still work, /healthz says unavailable, and mail queued meanwhile is sent once it
is back. Each test runs a Redis of its own (tests/redis_server.py) and stops it."""

import logging
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from portal import jobs
from portal.health import check_all
from portal.models import EmailStatus, OutgoingEmail
from tests.conftest import client_for
from tests.factories import PASSWORD
from tests.redis_server import queued_messages

pytestmark = pytest.mark.django_db


def test_the_cache_is_the_test_servers_own(own_redis):
    cache.set("probe", "here", 30)
    assert own_redis.client().exists(cache.make_key("probe")) == 1


def test_cache_calls_share_one_client_which_outlives_a_restart(own_redis, monkeypatch):
    monkeypatch.setattr("portal.cache.RETRY_AFTER", 0)
    backend = cache._cache  # the client Django keeps for the cache
    assert backend.get_client("a") is backend.get_client("b")  # not a new one a call
    cache.set("probe", "before", 30)
    own_redis.stop()
    assert cache.get("probe") is None  # a miss while it is down
    own_redis.start()
    cache.set("probe", "after", 30)
    assert cache.get("probe") == "after"


def test_signed_in_pages_answer_with_redis_down(own_redis, alice):
    client = client_for(alice)
    own_redis.stop()

    for name in ("home", "organization_list", "member_list", "organization_settings"):
        assert client.get(reverse(name)).status_code == 200, name


def test_a_session_outlives_everything_in_redis(own_redis, alice):
    client = client_for(alice)
    own_redis.client().flushall()

    assert client.get(reverse("organization_list")).status_code == 200


def test_sign_in_works_with_redis_down_and_says_rate_limits_are_off(own_redis, alice, caplog):
    own_redis.stop()

    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        response = client_for(None).post(
            reverse("account_login"), {"login": alice.email, "password": PASSWORD}, follow=True
        )

    assert response.context["user"] == alice
    assert "rate limits are not applied" in caplog.text


def test_password_reset_works_with_redis_down(own_redis, alice, django_capture_on_commit_callbacks):
    own_redis.stop()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(reverse("account_reset_password"), {"email": alice.email})

    assert response.status_code == 302
    assert [m.to for m in django_mail.outbox] == [[alice.email]]


def test_healthz_answers_503_with_redis_down(own_redis):
    assert client_for(None).get("/healthz").status_code == 200
    own_redis.stop()

    response = client_for(None).get("/healthz")

    assert (response.status_code, response.json()) == (503, {"status": "unavailable"})


def test_the_broker_check_notices_a_restart_and_recovers_with_its_pooled_connection(own_broker, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert check_all()["broker"]["ok"]
    opened = own_broker.client().info("stats")["total_connections_received"]
    for _ in range(3):
        assert check_all()["broker"]["ok"]
    # Only the probe's own INFO connection is new: the checks reused the pooled connection.
    assert own_broker.client().info("stats")["total_connections_received"] == opened + 1

    own_broker.stop()
    assert not check_all()["broker"]["ok"]

    own_broker.start()
    assert check_all()["broker"]["ok"]


def _sign_in(client, password):
    return client.post(reverse("account_login"), {"login": "alice@northwind.example.com", "password": password})


def test_failed_sign_ins_are_limited_again_once_redis_is_back(own_redis, alice, settings, monkeypatch):
    monkeypatch.setattr("portal.cache.RETRY_AFTER", 0)
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    client = client_for(None)
    own_redis.stop()
    for _ in range(4):
        _sign_in(client, "not-the-password")
    assert "Too many failed login attempts" not in _sign_in(client, "not-the-password").content.decode()

    own_redis.start()
    for _ in range(3):
        _sign_in(client, "not-the-password")

    assert "Too many failed login attempts" in _sign_in(client, PASSWORD).content.decode()


def test_mail_sent_while_the_broker_is_down_is_queued_again_once_it_is_back(
    own_broker, alice, django_capture_on_commit_callbacks, caplog
):
    own_broker.stop()
    with caplog.at_level(logging.WARNING, logger="portal.jobs"), django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(reverse("account_reset_password"), {"email": alice.email})
    assert response.status_code == 302
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.PENDING
    assert "the sweep will queue it again" in caplog.text

    own_broker.start()
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    jobs.sweep_jobs()

    assert queued_messages(own_broker) == [("portal.tasks.send_email", [email.pk])]
