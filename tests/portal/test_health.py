from unittest import mock

from tests.conftest import client_for


def test_healthz_reports_database_cache_and_broker(db):
    response = client_for(None).get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_answers_503_when_a_dependency_is_down(db):
    with mock.patch("portal.health.check_cache", side_effect=ConnectionError("redis is gone")):
        response = client_for(None).get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {
        "ok": False,
        "detail": "ConnectionError: redis is gone",
        "ms": mock.ANY,
    }


def test_healthz_is_never_cached(db):
    assert "no-cache" in client_for(None).get("/healthz")["Cache-Control"]
