"""Production settings fail loudly on a missing or unsafe value, and pass Django's deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _django(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_", "SECRET_KEY", "DEBUG"))}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings", **env_overrides})
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _django({"PORTAL_ENV": "production"}, "check")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_its_own_address():
    result = _django({"PORTAL_ENV": "production", "SECRET_KEY": "x" * 60}, "check")
    assert result.returncode != 0 and "SITE_URL" in result.stderr


def test_production_refuses_debug():
    result = _django(
        {"PORTAL_ENV": "production", "SECRET_KEY": "x" * 60, "SITE_URL": "https://p.example.com", "DEBUG": "true"},
        "check",
    )
    assert result.returncode != 0 and "DEBUG must be off in production" in result.stderr


def test_an_unknown_environment_name_is_refused():
    result = _django({"PORTAL_ENV": "staging"}, "check")
    assert result.returncode != 0 and "PORTAL_ENV must be" in result.stderr


def test_production_passes_the_deploy_check_with_no_warnings():
    key = "k3y-" + "a1B2c3D4e5F6g7H8" * 4
    result = _django(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": key,
            "ALLOWED_HOSTS": "portal.example.com",
            "SITE_URL": "https://portal.example.com",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is PostgreSQL's")
def test_postgresql_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
