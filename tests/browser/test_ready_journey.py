"""Issue 4's whole journey in a real browser: alice creates an integration for Magento, uploads a
valid OpenAPI 2.0 document from the corpus, accepts a proposed object, proves the connection by
running the Python snippet the inbox page shows once she has revealed the signing secret,
designates readiness, and the page shows Ready."""

import re
import subprocess
import sys

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from integrations.models import Integration, ObjectState, Tier
from tests.browser.test_inbox_journey import confirm_password
from tests.browser.test_integration_journey import declare, label, magento, served_media  # noqa: F401 - fixtures
from tests.browser.test_registry_journey import sign_in
from tests.integrations.openapi.test_openapi_import import require_corpus_file

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ALICE = "alice@northwind.example.com"
DOCUMENT = "walmart__inventory-3.0.1__swagger.yaml"


def test_an_integrator_takes_an_integration_from_nothing_to_ready(live_server, page, magento, alice, settings):  # noqa: F811
    document = require_corpus_file(DOCUMENT)
    settings.SITE_URL = live_server.url
    sign_in(page, live_server.url, ALICE)

    # Declare the integration and its first version.
    page.goto(live_server.url + magento.get_absolute_url())
    page.get_by_role("button", name="Build an integration for Magento").click()
    declare(page)
    page.get_by_role("button", name="Create integration").click()
    page.get_by_role("button", name="New version").click()
    page.get_by_label(label("Version")).fill("1.0.0")
    page.get_by_label("Open Source 2.5.x").check()
    page.get_by_role("button", name="Create version").click()
    page.get_by_role("button", name="Publish 1.0.0").click()
    expect(page.get_by_role("status")).to_have_text("Version 1.0.0 is published.")

    # The OpenAPI document: read in-process here (no broker), the objects proposed, one accepted.
    page.get_by_role("navigation", name="Integration workspace").get_by_role("link", name=re.compile("OpenAPI")).click()
    page.get_by_label(re.compile(r"^OpenAPI 2.0 document:?$")).set_input_files(str(document))
    page.get_by_role("button", name="Upload and read").click()
    expect(page.get_by_text("No errors: this meets the Compatible tier's document rule.")).to_be_visible()
    objects = page.locator("#objects")
    first = objects.locator("article").first
    name = first.get_by_role("heading", level=3).inner_text()
    first.get_by_role("button", name=f"Accept {name}").click()
    expect(first.get_by_role("status")).to_contain_text("accepted")

    integration = Integration.objects.get(name="Magento by Northwind")
    assert integration.tier == Tier.COMPATIBLE
    assert integration.foreign_objects.filter(state=ObjectState.ACCEPTED).count() == 1

    # The connection: the inbox was made with the integration; reveal its secret (after confirming
    # the password) and run the Python snippet exactly as the page then shows it.
    page.goto(live_server.url + integration.get_absolute_url())
    page.get_by_role("navigation", name="Integration workspace").get_by_role("link", name="Sandbox inbox").click()
    expect(page.locator("#python-snippet-1")).to_contain_text("whsec_PASTE_YOUR_SECRET_HERE")
    page.get_by_role("button", name="Reveal the signing secret").click()
    confirm_password(page)
    snippet = page.locator("#python-snippet-1").inner_text()
    assert "whsec_" in snippet and "PASTE" not in snippet
    sent = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, timeout=60)  # noqa: S603
    assert sent.stdout.startswith("202"), sent.stdout + sent.stderr
    page.goto(live_server.url + reverse("integration_inbox", args=[integration.slug]))
    scope_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="customer/created"))
    expect(scope_row).to_contain_text("Seen")
    expect(scope_row).not_to_contain_text("Not seen")

    # Readiness, designated by a qualified integrator, and the page shows Ready.
    page.goto(live_server.url + integration.get_absolute_url())
    page.get_by_role("button", name="Designate version 1.0.0 ready").click()
    header = page.locator(".profile-header")
    expect(header).to_contain_text("Ready")
    integration.refresh_from_db()
    assert integration.tier == Tier.READY
    assert integration.tier_changes.filter(to_tier=Tier.READY).exists()
