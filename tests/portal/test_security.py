"""The security baseline, walked over every URL the portal has."""

import ast
import pathlib

import pytest
from django.urls import get_resolver, reverse

from tests.conftest import client_for
from tests.portal.test_authorization_matrix import MATRIX, _walk

ROOT = pathlib.Path(__file__).resolve().parents[2]

# The only views a signed-out visitor may open. Everything else sends them to sign in.
PUBLIC_VIEWS = {
    "home",
    "healthz",
    "data_model_index",
    "formula_help",
    "data_model_collection",
    "invitation_detail",
    # the registry's public pages
    "provider_directory",
    "provider_detail",
    "application_detail",
    "integrator_profile",
    "misp_profile",
    # the marketplace and what crawlers read
    "marketplace_index",
    "listing_detail",
    "sitemap",
    "robots_txt",
    # the old address of a Certified integration's page, redirected for good to listing_detail
    "certified_integration_redirect",
    # approved workflow templates of an integration everyone may see
    "workflow_template_list",
    "workflow_template_detail",
    "workflow_template_definition",
    # the sandbox inbox's machine endpoint: no session, every request signed (Standard Webhooks)
    "inbox_receive",
    # allauth's own signed-out pages (it marks them @login_not_required itself)
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "mfa_authenticate",
}


def _callbacks():
    for name, pattern in _walk(get_resolver().url_patterns):
        if name and not name.startswith("admin:"):
            yield name, pattern.callback


def test_only_the_allowlisted_views_are_public():
    public = {name for name, callback in _callbacks() if getattr(callback, "login_required", True) is False}
    assert public == PUBLIC_VIEWS


def test_anonymous_visitors_are_sent_to_sign_in_everywhere_but_public_views():
    from tests.portal.test_authorization_matrix import LOGIN

    for name, cases in MATRIX.items():
        anonymous_get = next((case for case in cases if case.method == "GET"), None)
        if anonymous_get is None or name in PUBLIC_VIEWS:
            continue
        assert anonymous_get.expect[0] == LOGIN, f"{name} must send anonymous visitors to sign in"


def _url(name, case, world):
    return reverse(name, kwargs=case.kwargs(world) if case.kwargs else {})


@pytest.mark.parametrize("role", ["anonymous", "owner"])
def test_every_response_carries_the_security_headers(role, alice, ivy, bob, carol, sam, northwind, summit):
    from tests.factories import InvitationFactory
    from tests.portal.test_authorization_matrix import registry_world

    world = {
        "ivy_membership": ivy.memberships.get(organization=northwind),
        "invitation": InvitationFactory(organization=northwind, email="newcomer@example.com"),
        "northwind": northwind,
        **registry_world(northwind, summit),
    }
    client = client_for(alice if role == "owner" else None)
    for name, cases in MATRIX.items():
        case = cases[0]
        response = client.get(_url(name, case, world))
        csp = response.headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp, name
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, name
        if b"<script" in response.content:
            assert "'nonce-" in csp, name
        assert "object-src 'none'" in csp, name
        assert response.headers.get("X-Content-Type-Options") == "nosniff", name
        assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", name
        assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", name
        assert response.headers.get("X-Frame-Options") == "DENY", name


# Signed machine endpoints: no session cookie to ride on, each request authenticated by its signature.
CSRF_EXEMPT_MODULES = {"integrations/inbox/views.py"}


def test_csrf_exempt_is_used_nowhere_in_the_portal_code():
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        if "csrf_exempt" in names:
            offenders.append(str(path.relative_to(ROOT)))
    assert set(offenders) == CSRF_EXEMPT_MODULES, "csrf_exempt belongs only on signed machine endpoints"


def test_the_inbox_is_the_only_csrf_exempt_view():
    exempt = {name for name, callback in _callbacks() if getattr(callback, "csrf_exempt", False)}
    assert exempt == {"inbox_receive"}


def test_state_changing_views_refuse_get_with_405():
    from tests.portal.test_authorization_matrix import Case

    for name, cases in MATRIX.items():
        posts = [case for case in cases if case.method == "POST"]
        if not posts or name == "healthz":
            continue
        gets = [case for case in cases if case.method == "GET"]
        assert gets, f"{name} changes state: add a GET row expecting 405"
        assert all(answer in ("login", 405) for answer in gets[0].expect), f"{name} must answer GET with 405"
        assert isinstance(gets[0], Case)
