from unittest import mock

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TOKEN = "monitoring-token-0123456789"


@pytest.fixture(autouse=True)
def _token(settings):
    settings.HEALTHZ_TOKEN = TOKEN


def _with_token(**headers):
    return client_for(None).get("/healthz", headers=headers)


def test_healthz_tells_anyone_only_that_the_portal_is_ok():
    response = client_for(None).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_tells_anyone_only_unavailable_when_a_dependency_is_down():
    with mock.patch("portal.health.check_cache", side_effect=ConnectionError("redis at 10.0.0.5 is gone")):
        response = client_for(None).get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert b"10.0.0.5" not in response.content


def test_healthz_gives_the_components_to_a_caller_with_the_token():
    body = _with_token(Authorization=f"Bearer {TOKEN}").json()
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_gives_the_failing_component_to_a_caller_with_the_token():
    with mock.patch("portal.health.check_cache", side_effect=ConnectionError("redis is gone")):
        response = _with_token(Authorization=f"Bearer {TOKEN}")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {
        "ok": False,
        "detail": "ConnectionError: redis is gone",
        "ms": mock.ANY,
    }


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", f"Basic {TOKEN}", "Bearer ", TOKEN])
def test_healthz_keeps_the_components_from_a_wrong_token(header):
    assert _with_token(Authorization=header).json() == {"status": "ok"}


def test_healthz_keeps_the_components_from_everyone_when_no_token_is_set(settings):
    settings.HEALTHZ_TOKEN = ""
    assert _with_token(Authorization="Bearer ").json() == {"status": "ok"}


def test_healthz_gives_the_components_to_staff(sam):
    assert "checks" in client_for(sam).get("/healthz").json()


def test_healthz_keeps_the_components_from_a_signed_in_integrator(alice):
    assert client_for(alice).get("/healthz").json() == {"status": "ok"}


def test_healthz_is_never_cached():
    assert "no-cache" in client_for(None).get("/healthz")["Cache-Control"]
