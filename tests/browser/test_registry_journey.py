"""A provider registers itself in a real browser: its public profile with a logo, the application
"Magento" and three versions; then a signed-out visitor finds them on the public pages, newest
version first and marked latest. Locators are by role and label, so accessible names are tested too."""

import re

import pytest
from playwright.sync_api import Page, expect

from integrations.models import Application
from portal.models import Role
from tests import imagefiles
from tests.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PAULA = "paula@adobe.example.com"
VERSIONS = [  # entered out of order on purpose
    ("Open Source 2.4.x", "2020-07-28"),
    ("Open Source 2.5.x", "2025-10-14"),
    ("Open Source 2.3.x", "2018-11-28"),
]


@pytest.fixture
def served_media(settings, media_root):
    settings.ROOT_URLCONF = "tests.browser.media_urls"
    return media_root


@pytest.fixture
def adobe_owner(db):
    adobe = OrganizationFactory(name="Adobe", slug="adobe", website="", is_provider=True, is_integrator=False)
    user = UserFactory(email=PAULA, name="Paula Provider")
    MembershipFactory(user=user, organization=adobe, role=Role.OWNER)
    return user


def png_payload(name: str, color) -> dict:
    return {
        "name": name,
        "mimeType": "image/png",
        "buffer": imagefiles.image_bytes("PNG", size=(300, 300), color=color),
    }


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    main = page.get_by_role("main")
    main.get_by_label(re.compile(r"^Email:?$")).fill(email)
    main.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    main.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name=re.compile("^Welcome"))).to_be_visible()


def expect_image_loaded(page: Page, name: str) -> None:
    image = page.get_by_role("img", name=name).first
    expect(image).to_be_visible()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0, f"{name} did not load"


def complete_profile(page: Page) -> None:
    page.get_by_role("navigation", name="Main").locator("details.org-switcher summary").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Public profile").click()
    expect(page.get_by_role("heading", name="Public profile of Adobe")).to_be_visible()
    page.get_by_label(re.compile(r"^Company URL:?$")).fill("business.adobe.com")
    page.get_by_label(re.compile(r"^Logo:?$")).set_input_files(png_payload("adobe.png", (215, 38, 30)))
    page.get_by_label(re.compile(r"^About:?$")).fill("Adobe makes Magento Open Source and Adobe Commerce.")
    page.get_by_label(re.compile(r"^Contact email:?$")).fill("partners@adobe.example.com")
    page.get_by_role("button", name="Save public profile").click()
    expect(page.get_by_role("status")).to_have_text("Public profile saved.")
    expect_image_loaded(page, "Adobe logo")


def register_magento(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your applications").click()
    page.get_by_role("button", name="Register an application").click()
    expect(page.get_by_role("heading", name="Register an application", level=1)).to_be_visible()
    page.get_by_label(re.compile(r"^Name:?$")).fill("Magento")
    page.get_by_label(re.compile(r"^Product landing page URL:?$")).fill(
        "https://business.adobe.com/products/magento/open-source.html"
    )
    page.get_by_label(re.compile(r"^Logo:?$")).set_input_files(png_payload("magento.png", (238, 103, 47)))
    page.get_by_label(re.compile(r"^Category:?$")).select_option(label="E-commerce")
    page.get_by_label(re.compile(r"^Description:?$")).fill("The open-source edition of Adobe's commerce platform.")
    page.get_by_label("Published: show this application on the public pages").check()
    page.get_by_role("button", name="Register application").click()
    expect(page.get_by_role("status")).to_have_text("Magento is registered. Now add its versions.")
    expect(page.get_by_role("heading", name="Magento", level=1)).to_be_visible()


def add_version(page: Page, label: str, released: str) -> None:
    page.get_by_role("region", name="Versions").get_by_role("button", name="Add a version").click()
    expect(page.get_by_role("heading", name="Add a version of Magento")).to_be_visible()
    page.get_by_label(re.compile(r"^Label:?$")).fill(label)
    page.get_by_label(re.compile(r"^Release date:?$")).fill(released)
    page.get_by_role("button", name="Add version").click()
    expect(page.get_by_role("status")).to_have_text(f"Magento {label} is added.")


def expect_versions_newest_first_with_the_latest_marked(page: Page) -> None:
    table = page.get_by_role("table", name="Versions of Magento, newest first")
    row_headers = table.get_by_role("rowheader")
    expect(row_headers).to_have_text(
        [re.compile(r"^Open Source 2\.5\.x\s+Latest$"), "Open Source 2.4.x", "Open Source 2.3.x"]
    )
    expect(table.get_by_text("Latest", exact=True)).to_have_count(1)


def test_a_provider_registers_its_profile_application_and_versions_and_the_public_pages_show_them(
    live_server, new_page, served_media, adobe_owner
):
    provider = new_page()
    sign_in(provider, live_server.url, PAULA)
    complete_profile(provider)
    register_magento(provider)
    for label, released in VERSIONS:
        add_version(provider, label, released)
    expect_versions_newest_first_with_the_latest_marked(provider)
    # A duplicate label, in another case, is refused next to the field.
    add_version_form = provider.get_by_role("region", name="Versions").get_by_role("button", name="Add a version")
    add_version_form.click()
    provider.get_by_label(re.compile(r"^Label:?$")).fill("open source 2.4.X")
    provider.get_by_label(re.compile(r"^Release date:?$")).fill("2021-01-01")
    provider.get_by_role("button", name="Add version").click()
    expect(provider.get_by_text("Magento already has a version labelled “open source 2.4.X”.")).to_be_visible()
    assert Application.objects.get(name="Magento").versions.count() == 3

    # --- A signed-out visitor, in a browser of their own, finds it all on the public pages.
    visitor = new_page()
    visitor.goto(live_server.url + "/")
    visitor.get_by_role("navigation", name="Main").get_by_role("link", name="Applications").click()
    expect(visitor.get_by_role("heading", name="Applications by provider")).to_be_visible()
    visitor.get_by_label("Search providers and applications").fill("magento")
    visitor.get_by_role("button", name="Search").click()
    adobe_card = visitor.get_by_role("article", name="Adobe")
    expect(adobe_card).to_contain_text("Latest version: Open Source 2.5.x")
    expect_image_loaded(visitor, "Magento logo")

    adobe_card.get_by_role("link", name="Adobe", exact=True).click()
    expect(visitor.get_by_role("heading", name="Adobe", level=1)).to_be_visible()
    expect_image_loaded(visitor, "Adobe logo")
    expect(visitor.get_by_role("link", name=re.compile(r"^business\.adobe\.com"))).to_be_visible()
    magento_card = visitor.get_by_role("article", name="Magento")
    expect(magento_card).to_contain_text("Latest version: Open Source 2.5.x, released Oct 14, 2025")

    magento_card.get_by_role("link", name="Magento").click()
    expect(visitor.get_by_role("heading", name="Magento", level=1)).to_be_visible()
    expect_image_loaded(visitor, "Magento logo")
    expect_versions_newest_first_with_the_latest_marked(visitor)
    expect(visitor.get_by_role("link", name="Sign in to submit it")).to_be_visible()


def test_at_phone_width_the_registry_pages_do_not_scroll_sideways(live_server, new_page, served_media, adobe_owner):
    from tests.factories import ApplicationFactory, ApplicationVersionFactory

    adobe = adobe_owner.memberships.get().organization
    adobe.description = "A provider with a long description " * 8
    adobe.save()
    magento = ApplicationFactory(provider=adobe, name="Magento Open Source Commerce Platform", slug="magento")
    ApplicationVersionFactory(application=magento, label="Open Source 2.4.x with a very long label indeed")
    page = new_page(viewport={"width": 390, "height": 844})
    for path in ["/applications/", "/providers/adobe/", "/applications/magento/", "/applications/?q=nothing&page=7"]:
        page.goto(live_server.url + path)
        widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["scroll"] <= widths["inner"], f"{path} scrolls sideways at 390 px wide: {widths}"
    sign_in(page, live_server.url, PAULA)
    for path in ["/provider/applications/", "/applications/magento/edit/", "/organization/public-profile/"]:
        page.goto(live_server.url + path)
        widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["scroll"] <= widths["inner"], f"{path} scrolls sideways at 390 px wide: {widths}"
