"""The frame of every page at the widths people use: the signed-in header holds on one line on a
laptop and folds into a menu button on a phone, which the keyboard opens and Escape closes."""

import pytest
from playwright.sync_api import Page, expect

from portal.models import Role
from tests.browser.test_registry_journey import sign_in
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def main_navigation(page: Page):
    """The header's navigation, opened first on a narrow screen where it is behind the Menu button."""
    nav = page.get_by_role("navigation", name="Main")
    menu = nav.get_by_role("button", name="Menu")
    if menu.is_visible() and menu.get_attribute("aria-expanded") == "false":
        menu.click()
    return nav


def header_rows(page: Page) -> int:
    """How many lines the header's items take: the distinct tops of the brand, links and menus."""
    tops = page.evaluate(
        """() => [...document.querySelectorAll(
              'header nav .brand, header .nav-links > li > a, header .nav-account > li > details > summary')]
            .filter(el => el.offsetParent !== null)
            .map(el => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2))"""
    )
    assert tops, "The header shows nothing"
    rows: list[int] = []
    for top in sorted(tops):
        if not rows or top - rows[-1] > 8:
            rows.append(top)
    return len(rows)


@pytest.fixture
def long_named_provider_owner(alice):
    """Alice also owns a provider with a long name: the most links and the widest switcher."""
    provider = OrganizationFactory(
        name="Northwind Application Software International", is_integrator=True, is_provider=True
    )
    MembershipFactory(user=alice, organization=provider, role=Role.OWNER)
    return alice


def test_on_a_laptop_the_signed_in_header_holds_on_one_line(live_server, new_page, long_named_provider_owner, sam):
    page = new_page(viewport=LAPTOP)
    sign_in(page, live_server.url, long_named_provider_owner.email)
    page.get_by_role("navigation", name="Main").locator("details.org-switcher summary").click()
    page.get_by_role("button", name="Northwind Application Software International").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Your applications")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    assert header_rows(page) == 1


def test_on_a_phone_the_header_is_a_menu_the_keyboard_opens_and_escape_closes(live_server, new_page, alice):
    page = new_page(viewport=PHONE)
    sign_in(page, live_server.url, alice.email)
    main_nav = page.get_by_role("navigation", name="Main")
    menu = main_nav.get_by_role("button", name="Menu")
    integrations = main_nav.get_by_role("link", name="Integrations")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_have_attribute("aria-controls", "site-menu")
    expect(integrations).to_be_hidden()

    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(integrations).to_be_visible()
    page.keyboard.press("Tab")
    expect(main_nav.get_by_role("link", name="Marketplace")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(integrations).to_be_hidden()

    menu.click()
    integrations.click()
    expect(page.get_by_role("heading", name="Integrations", level=1)).to_be_visible()
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], widths


def test_without_its_script_the_phone_menu_stays_open(live_server, new_page, alice):
    page = new_page(viewport=PHONE, java_script_enabled=False)
    sign_in(page, live_server.url, alice.email)
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("button", name="Menu")).to_be_hidden()
    expect(main_nav.get_by_role("link", name="Integrations")).to_be_visible()
