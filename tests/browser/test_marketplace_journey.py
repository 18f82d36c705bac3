"""Issue 12, points 1 and 2 in a real browser, at 1280 and 390 wide: a signed-out visitor searches
the marketplace, narrows the results with a filter, opens a Certified integration and reads its
description, price, builder and compatibility; the browser's Back button returns to the same search."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from integrations.models import Category, Tier
from tests.browser.test_layout import main_navigation
from tests.factories import ApplicationFactory, ApplicationVersionFactory
from tests.marketplace.conftest import listed, publish

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def marketplace(northwind):
    magento = ApplicationFactory(name="Magento", slug="magento", category=Category.ECOMMERCE)
    versions = [
        ApplicationVersionFactory(application=magento, label=label, release_date=datetime.date(year, 1, 1))
        for label, year in [("Open Source 2.3.x", 2019), ("Open Source 2.4.x", 2021)]
    ]
    certified = listed(
        magento,
        owner=northwind,
        name="Magento by Northwind",
        slug="magento-by-northwind",
        tier=Tier.CERTIFIED,
        description="Keeps Magento orders and customers in step with iPaaS.com.",
        features="Order sync\nCustomer sync",
        workflow_documentation="New orders reach iPaaS.com within a minute.",
        price_up_front=500,
        price_per_month=49,
        hosts_multitenant_cloud=True,
    )
    publish(certified, "1.0.0", supports=versions)
    listed(magento, name="Magento Catalogue Feed", tier=Tier.COMPATIBLE)
    listed(ApplicationFactory(name="NetSuite", category=Category.ERP), name="Ledger Link", tier=Tier.READY)
    return certified


def no_sideways_scroll(page) -> None:
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], f"{page.url} scrolls sideways: {widths}"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_visitor_searches_filters_and_opens_a_certified_integration(live_server, new_page, marketplace, width):
    page = new_page(viewport={"width": width, "height": 900})
    page.goto(live_server.url + reverse("home"))
    main_navigation(page).get_by_role("link", name="Marketplace").click()
    expect(page.get_by_role("heading", name="Marketplace", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\s*3 integrations\s*$"))
    no_sideways_scroll(page)

    page.get_by_label("Search integrations").fill("magento")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("2 integrations match “magento”")

    filters = page.locator("details.marketplace-filters")
    if width < 900:  # folded on a phone, so the results come first
        expect(filters).not_to_have_attribute("open", "")
        filters.get_by_text("Filters", exact=True).click()
    tier = page.get_by_role("group", name="Tier")
    tier.get_by_role("checkbox", name="Certified (1)", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_contain_text("1 integration match “magento” with these filters")
    assert "q=magento" in page.url and "tier=certified" in page.url
    no_sideways_scroll(page)

    page.get_by_role("link", name="Magento by Northwind").click()
    expect(page.get_by_role("heading", name="Magento by Northwind", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Description")).to_be_visible()
    expect(page.get_by_text("$500 up front + $49 a month")).to_be_visible()
    expect(page.get_by_role("heading", name="Northwind Integrations")).to_be_visible()
    matrix = page.get_by_role("table")
    expect(matrix.get_by_role("row").nth(1)).to_contain_text("Open Source 2.4.x")
    expect(matrix.get_by_role("row").nth(1)).to_contain_text("Supported")
    expect(page.get_by_text("Supports Magento's latest version, Open Source 2.4.x.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Subscribe"))).to_have_count(0)
    no_sideways_scroll(page)

    page.go_back()
    expect(page.get_by_label("Search integrations")).to_have_value("magento")
    expect(page.get_by_role("group", name="Tier").get_by_role("checkbox", name="Certified (1)")).to_be_checked()
