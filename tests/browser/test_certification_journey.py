"""Certification in a real browser: an integrator requests certification of a fully mapped
version, watches the automated checks' progress until the results show, a Red Rook staff member
signs in with a TOTP code and approves in the admin, and the integrator sees Certified."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from playwright.sync_api import Page, expect

from certification.models import CertificationRequest, RequestStatus
from certification.requests import runner, tasks
from tests.browser.test_registry_journey import sign_in
from tests.browser.totp import type_code
from tests.certification import world
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def reviewer(db):
    user = UserFactory(email="rita@redrook.example.com", name="Rita Reviewer", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def sign_in_with_totp(page: Page, base: str, email: str, secret: str) -> None:
    page.goto(base + "/accounts/login/")
    main = page.get_by_role("main")
    main.get_by_label(re.compile(r"^Email:?$")).fill(email)
    main.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    main.get_by_role("button", name="Sign In").click()
    type_code(page.get_by_label(re.compile(r"^(Authenticator )?[Cc]ode:?$")), secret)
    page.get_by_role("button", name=re.compile("Sign In|Authenticate|Confirm")).click()
    page.wait_for_load_state()


def test_an_integrator_requests_certification_and_staff_approve_it_in_the_admin(
    live_server, new_page, northwind, alice, reviewer, monkeypatch
):
    integration, version = world.certifiable(northwind, alice)
    queued = []
    # The task is queued, not run: the page shows the checks waiting, then their progress.
    monkeypatch.setattr(tasks.run_certification_checks, "delay", lambda *args: queued.append(args))

    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, alice.email)
    page.goto(live_server.url + reverse("integration_detail", args=[integration.slug]))
    section = page.get_by_role("region", name="Certification")
    section.get_by_role("link", name="request certification").click()
    expect(page.get_by_role("heading", name="Request certification of version 1.0.0")).to_be_visible()
    page.get_by_label("Message to the reviewers").fill("Customers both ways, with a test each.")
    page.get_by_role("button", name="Request certification").click()

    expect(page.get_by_role("heading", name=re.compile("^Certification of"))).to_be_visible()
    progress = page.locator("#certification-checks-progress")
    expect(progress).to_contain_text("Queued")
    expect(progress).to_contain_text("This page updates by itself")
    assert queued, "the checks were not queued"
    request_ = CertificationRequest.objects.get(version=version)
    runner.run_certification_checks(*queued[0])  # the worker's turn; htmx picks it up
    expect(page.get_by_role("table")).to_contain_text("Mapping test", timeout=15_000)
    expect(page.locator("#certification-checks-progress")).to_contain_text("0 failed")

    user, secret = reviewer
    staff = new_page(viewport={"width": 1280, "height": 900})
    sign_in_with_totp(staff, live_server.url, user.email, secret)
    staff.goto(live_server.url + reverse("admin:certification_certificationrequest_changelist"))
    staff.get_by_role("link", name=str(request_)).click()
    expect(staff.get_by_role("heading", name="Automated checks (round 1)")).to_be_visible()
    staff.get_by_role("button", name="Approve").click()
    expect(staff.locator(".messagelist")).to_contain_text("is approved")
    assert CertificationRequest.objects.get(pk=request_.pk).status == RequestStatus.APPROVED

    page.goto(live_server.url + reverse("integration_detail", args=[integration.slug]))
    expect(page.locator(".profile-header")).to_contain_text("Certified")
    expect(page.get_by_role("region", name="Certification")).to_contain_text("Certified")
