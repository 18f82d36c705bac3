"""Issue 10's journey: a new integrator, from signing up to a Ready integration, following only
what the pages suggest: the getting-started page's "Do it" links, each landing on the field that
fixes its step, at a laptop's width and at a phone's, where no page may scroll sideways."""

import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from integrations.models import Integration, Tier
from tests.browser.test_integration_journey import magento, served_media  # noqa: F401 - fixtures
from tests.browser.test_layout import main_navigation
from tests.browser.test_onboarding_journey import PASSWORD, confirm_email, real_mail_chain, sign_up  # noqa: F401
from tests.integrations.openapi.test_openapi_import import require_corpus_file

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

FOUNDER = "nina.new@harbor.example.com"
ORG = "Harbor Integrations"
DOCUMENT = "walmart__inventory-3.0.1__swagger.yaml"
WIDTHS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], f"{page.url} scrolls sideways: {widths}"


def open_getting_started(page: Page) -> None:
    """Through the header: on a phone the Menu button first, then the organization's menu."""
    nav = main_navigation(page)
    nav.locator("details.org-switcher summary").click()
    nav.get_by_role("link", name="Getting started").click()
    expect(page.get_by_role("heading", name=f"Getting started with {ORG}")).to_be_visible()
    no_sideways_scroll(page)


def step(page: Page, title: str):
    return page.locator(".steps li").filter(has=page.get_by_text(title, exact=True))


def do_it(page: Page, title: str) -> None:
    """Follow a step's link and check it landed on the field (or form) its fragment names."""
    expect(step(page, title)).to_contain_text("(to do)")
    # Until the next page has loaded, its address and document are not there to read.
    with page.expect_navigation():
        page.get_by_role("link", name=f"Do it: {title}").click()
    fragment = page.url.partition("#")[2]
    if fragment:
        expect(page.locator(f"[id='{fragment}']")).to_be_in_viewport()
    no_sideways_scroll(page)


def save_declarations(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^Save ")).click()
    expect(page.get_by_role("status")).to_contain_text("is saved.")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_new_integrator_reaches_ready_following_only_the_getting_started_steps(
    live_server,
    new_page,
    real_mail_chain,  # noqa: F811
    magento,  # noqa: F811
    width,
):
    document = require_corpus_file(DOCUMENT)
    page = new_page(viewport=WIDTHS[width])

    # Sign up, verify the address, create the organization: it lands on its getting-started page.
    page.goto(live_server.url + "/")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Create your account").click()
    sign_up(page, FOUNDER)
    confirm_email(page, FOUNDER)
    page.get_by_role("button", name="Create an organization").click()
    expect(page.get_by_text("a managed iPaaS service provider")).to_be_visible()  # the word MiSP, explained
    page.get_by_label(re.compile(r"^Name:?$")).fill(ORG)
    page.get_by_role("checkbox", name="Integrator", exact=True).check()
    page.get_by_label(re.compile(r"^Website:?$")).fill("harbor.example.com")
    page.get_by_role("button", name="Create organization").click()
    expect(page.get_by_role("heading", name=f"Getting started with {ORG}")).to_be_visible()
    no_sideways_scroll(page)

    # The first step: an integration, for an application chosen from the published ones.
    do_it(page, "Create an integration")
    page.get_by_label(re.compile(r"^Application:?$")).select_option(label="Magento")
    page.get_by_role("button", name="Create integration").click()
    expect(page.get_by_role("status")).to_contain_text("is created. Now add its first version.")
    open_getting_started(page)

    # Its first version: the number is offered.
    do_it(page, "Create its first version")
    expect(page.get_by_label(re.compile(r"^Version:?$"))).to_have_value("1.0.0")
    page.get_by_role("button", name="Create version").click()
    expect(page.get_by_role("status")).to_contain_text("Version 1.0.0 is created as a draft")

    # The Compatible rules, one "do it" at a time.
    open_getting_started(page)
    do_it(page, "Hook, queue or event services")
    page.get_by_label("Hook", exact=True).check()
    save_declarations(page)

    open_getting_started(page)
    do_it(page, "Hosting models")
    page.get_by_label("Multitenant cloud").check()
    save_declarations(page)

    open_getting_started(page)
    do_it(page, "Supported application versions")
    page.get_by_label("Open Source 2.5.x").check()
    page.get_by_role("button", name="Save version").click()
    expect(page.get_by_role("status")).to_have_text("Version 1.0.0 is saved.")

    open_getting_started(page)
    do_it(page, "Data movement and webhook scopes described")
    expect(page.get_by_text("A webhook scope is a kind of event the application sends")).to_be_visible()
    page.get_by_label(re.compile(r"^Data movement:?$")).fill("Inventory to iPaaS.com.")
    page.get_by_label(re.compile(r"^Webhook scopes:?$")).fill("customer/created")
    save_declarations(page)

    open_getting_started(page)
    do_it(page, "OpenAPI 2.0 document or SDK connector")
    page.get_by_label(re.compile(r"^OpenAPI 2.0 document:?$")).set_input_files(str(document))
    page.get_by_role("button", name="Upload and read").click()
    expect(page.get_by_text("No errors: this meets the Compatible tier's document rule.")).to_be_visible()

    # Compatible is reached once the version is published, which the path asks next.
    open_getting_started(page)
    expect(page.locator(".integration-path h3")).to_contain_text("3 steps to do")
    do_it(page, "Publish version 1.0.0")
    page.get_by_role("button", name="Publish 1.0.0").click()
    expect(page.get_by_role("status")).to_have_text("Version 1.0.0 is published.")
    integration = Integration.objects.get(owner__name=ORG)
    assert integration.tier == Tier.COMPATIBLE

    # Ready: the connection, proved by the snippet the inbox page shows, then the designation.
    open_getting_started(page)
    expect(step(page, "An integrator associated")).to_contain_text("(done)")
    do_it(page, "Connection established")
    page.get_by_role("button", name="Reveal the signing secret").click()
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    page.get_by_role("main").get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    snippet = page.locator("#python-snippet-1").inner_text()
    assert "whsec_" in snippet and "PASTE" not in snippet
    sent = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, timeout=60)  # noqa: S603
    assert sent.stdout.startswith("202"), sent.stdout + sent.stderr

    open_getting_started(page)
    do_it(page, "Readiness designated")
    page.get_by_role("button", name="Designate version 1.0.0 ready").click()
    expect(page.get_by_role("status")).to_have_text("Version 1.0.0 is designated ready.")
    expect(page.locator(".profile-header")).to_contain_text("Ready")

    open_getting_started(page)
    expect(page.get_by_text(f"Every integration of {ORG} is Ready or beyond.")).to_be_visible()
    integration.refresh_from_db()
    assert integration.tier == Tier.READY
