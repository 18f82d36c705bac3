"""An SDK integration has no OpenAPI document: its owner declares the foreign data object
"Customers" on the Data model links page, linked to Customer To iPaaS with GET, and sees it listed
(a bad endpoint line is refused first, next to its field, with the typed text kept); then removes it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_registry_journey import sign_in
from tests.factories import IntegrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_an_sdk_integration_owner_declares_customers_and_sees_it_listed(live_server, new_page, alice, northwind, width):
    integration = IntegrationFactory(owner=northwind, name="Cin7 by Northwind", slug="cin7-by-northwind", kind="sdk")
    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, live_server.url, alice.email)
    page.goto(live_server.url + reverse("integration_detail", args=[integration.slug]))
    page.get_by_role("navigation", name="Integration workspace").get_by_role("link", name="Data model links").click()
    expect(page.get_by_text("An SDK integration has no OpenAPI document")).to_be_visible()

    declare = page.locator("section", has=page.get_by_role("heading", name="Declare a data object"))
    declare.get_by_label(re.compile(r"^Name:?$")).fill("Customers")
    declare.get_by_label(re.compile(r"^Endpoints:?$")).fill("GET /customers\nFETCH /customers/{id}")
    declare.get_by_label(re.compile(r"^Data model collection:?$")).select_option(label="Customer")
    to_ipaas = declare.get_by_role("group", name=re.compile("Methods used To iPaaS"))
    to_ipaas.get_by_label("GET").check()
    declare.get_by_role("button", name="Declare and link the object").click()

    expect(declare).to_contain_text("Line 2: “FETCH” is not an HTTP method")
    endpoints = declare.get_by_label(re.compile(r"^Endpoints:?$"))
    expect(endpoints).to_have_value("GET /customers\nFETCH /customers/{id}")
    endpoints.fill("GET /customers\nGET /customers/{id}")
    declare.get_by_role("button", name="Declare and link the object").click()

    expect(page.locator(".message-success, [role=status]").first).to_contain_text(
        "Customers is declared and linked to Customer"
    )
    listed = page.get_by_role("article", name=re.compile("Customers"))
    expect(listed).to_contain_text("Declared by hand")
    expect(listed).to_contain_text("Linked to Customer; To iPaaS: GET.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen

    listed.get_by_role("link", name="Remove Customers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove the data object Customers")
    page.get_by_role("button", name="Remove Customers").click()
    expect(page.locator(".message-success, [role=status]").first).to_contain_text("Customers is removed")
    expect(page.get_by_text("No accepted foreign data objects yet. Declare them below.")).to_be_visible()
