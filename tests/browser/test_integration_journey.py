"""An integrator builds an integration in a real browser: alice creates one for Magento from its
public page, declares what it does, creates version 1.0.0 supporting two Magento versions,
publishes it, and the workspace page shows the tier checklists with what is left to do."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from integrations.demo.loader import _give_logo
from integrations.models import Integration, Tier, VersionStatus
from tests.browser.test_registry_journey import sign_in
from tests.factories import ApplicationFactory, ApplicationVersionFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ALICE = "alice@northwind.example.com"


@pytest.fixture
def served_media(settings, media_root):
    settings.ROOT_URLCONF = "tests.browser.media_urls"
    return media_root


@pytest.fixture
def magento(db, served_media):
    adobe = OrganizationFactory(name="Adobe", slug="adobe", website="https://business.adobe.com", is_provider=True)
    _give_logo(adobe, "#d7261e")
    magento = ApplicationFactory(provider=adobe, name="Magento", slug="magento", is_published=True)
    _give_logo(magento, "#ee672f")
    for n, label in enumerate(["Open Source 2.3.x", "Open Source 2.4.x", "Open Source 2.5.x"]):
        ApplicationVersionFactory(application=magento, label=label, release_date=datetime.date(2020, 1, 1 + n))
    return magento


def label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}:?$")


def declare(page: Page) -> None:
    page.get_by_label(label("Name")).fill("Magento by Northwind")
    page.get_by_label("Dynamic (the API is described by an OpenAPI 2.0 document)").check()
    page.get_by_label("Hook", exact=True).check()
    page.get_by_label("Event", exact=True).check()
    page.get_by_label("Multitenant cloud").check()
    page.get_by_label(label("Description")).fill("Keeps Magento stores and iPaaS.com in step.")
    page.get_by_label(label("Features")).fill("Customers both ways\nOrders to iPaaS.com")
    page.get_by_label(label("Data movement")).fill("Customers and orders to iPaaS.com; products back to Magento.")
    page.get_by_label(label("Webhook scopes")).fill("customer/created\norder/created")
    page.get_by_label(label("Price up front ($)")).fill("0")
    page.get_by_label(label("Price per month ($)")).fill("49")
    page.get_by_label(label("Typical market")).fill("Mid-market Magento merchants")
    page.get_by_label(label("NDA status")).select_option(label="Signed and retrieved")
    page.get_by_label(label("Upline for Red Rook")).fill("Sam at Red Rook")


def test_an_integrator_creates_an_integration_and_a_version_and_sees_what_is_left(live_server, page, magento, alice):
    sign_in(page, live_server.url, ALICE)
    page.goto(live_server.url + magento.get_absolute_url())
    page.get_by_role("button", name="Build an integration for Magento").click()
    expect(page.get_by_role("heading", name="Create an integration", level=1)).to_be_visible()
    expect(page.get_by_label(label("Application"))).to_have_value(str(magento.pk))

    # A malformed scope is refused next to the field; nothing is created.
    declare(page)
    page.get_by_label(label("Webhook scopes")).fill("Customer Created")
    page.get_by_role("button", name="Create integration").click()
    expect(page.get_by_text("“Customer Created” is not a webhook scope")).to_be_visible()
    assert not Integration.objects.exists()

    page.get_by_label(label("Webhook scopes")).fill("customer/created\norder/created")
    page.get_by_role("button", name="Create integration").click()
    expect(page.get_by_role("status")).to_have_text("Magento by Northwind is created. Now add its first version.")
    expect(page.get_by_role("heading", name="Magento by Northwind", level=1)).to_be_visible()

    page.get_by_role("button", name="New version").click()
    page.get_by_label(label("Version")).fill("1.0.0")
    page.get_by_label(label("Release notes")).fill("First release.")
    page.get_by_label("Open Source 2.4.x").check()
    page.get_by_label("Open Source 2.5.x").check()
    page.get_by_role("button", name="Create version").click()
    expect(page.get_by_role("status")).to_contain_text("Version 1.0.0 is created as a draft")

    versions = page.get_by_role("table", name="Versions of Magento by Northwind, newest first")
    expect(versions.get_by_role("row", name=re.compile("1.0.0"))).to_contain_text("Open Source 2.5.x")
    versions.get_by_role("button", name="Publish 1.0.0").click()
    expect(page.get_by_role("status")).to_have_text("Version 1.0.0 is published.")

    # The checklists: Compatible lacks only the OpenAPI document; Ready lacks the connection.
    compatible = page.get_by_role("region", name=re.compile("^Compatible"))
    expect(compatible).to_contain_text("1 of 7 requirements to do")
    expect(compatible).to_contain_text("Upload the application's OpenAPI 2.0 document.")
    expect(compatible.get_by_role("link", name="Do it: OpenAPI 2.0 document or SDK connector")).to_be_visible()
    ready = page.get_by_role("region", name=re.compile("^Ready"))
    expect(ready).to_contain_text("Send a signed test event for one of the declared scopes")
    expect(page.get_by_role("button", name=re.compile("Designate"))).to_have_count(0)

    integration = Integration.objects.get()
    assert integration.versions.get().status == VersionStatus.PUBLISHED
    assert integration.tier == Tier.NONE
    assert sorted(integration.scopes.values_list("name", flat=True)) == ["customer/created", "order/created"]

    # The dashboard shows the same progress.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Integrations").click()
    card = page.get_by_role("article").filter(has_text="Magento by Northwind")
    expect(card).to_contain_text("6 of 7")
    expect(card).to_contain_text("Next: Upload the application's OpenAPI 2.0 document.")


def test_at_phone_width_the_integration_pages_do_not_scroll_sideways(live_server, new_page, magento, alice):
    from integrations.tiers import engine as tiers
    from tests.integrations import tier_world

    integration, version = tier_world.compatible_integration(
        alice.memberships.get().organization, magento, list(magento.versions.all())
    )
    tiers.recompute(integration, cause="setup")
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server.url, ALICE)
    for path in [
        "/integrations/",
        "/integrations/new/",
        integration.get_absolute_url(),
        f"{integration.get_absolute_url()}edit/",
        f"{integration.get_absolute_url()}versions/new/",
        magento.get_absolute_url(),
    ]:
        page.goto(live_server.url + path)
        widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["scroll"] <= widths["inner"], f"{path} scrolls sideways at 390 px wide: {widths}"
