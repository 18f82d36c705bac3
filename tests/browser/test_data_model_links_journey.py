"""Issue 5, points 1 and 2 in a real browser: a person browses the common data model (a
collection's fields with their types and whether they are required, its child collections), then
links a declared webhook scope to a collection and direction and sees the Certified checklist
ask next for what is left: an event of that scope in the sandbox inbox."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from integrations.models import ForeignDataObject, ObjectState, WebhookScope
from tests.browser.test_registry_journey import sign_in
from tests.factories import IntegrationFactory, IntegrationVersionFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_person_browses_the_data_model_and_links_a_webhook_scope(live_server, new_page, alice, northwind, width):
    integration = IntegrationFactory(owner=northwind, name="Magento by Northwind", slug="magento-by-northwind")
    IntegrationVersionFactory(integration=integration, number="1.0.0")
    WebhookScope.objects.create(integration=integration, name="customer/created")
    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, live_server.url, alice.email)

    page.goto(live_server.url + reverse("data_model_index"))
    page.get_by_role("main").get_by_role("link", name="Customer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Customer")
    email = page.get_by_role("row", name=re.compile(r"^Email "))
    expect(email).to_contain_text("Required")
    expect(page.get_by_role("row", name=re.compile(r"^Phone "))).to_contain_text("Optional")
    children = page.locator("section, main").filter(has=page.get_by_role("heading", name="Child collections")).last
    expect(children.get_by_role("link", name="Customer Address")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto(live_server.url + reverse("integration_collections", args=[integration.slug]))
    scope = page.locator("article", has=page.get_by_role("heading", name="customer/created"))
    expect(scope).to_contain_text("Not linked yet")
    scope.get_by_label(re.compile("^Data model collection:?$")).select_option(label="Customer")
    scope.get_by_label(re.compile("^Direction:?$")).select_option(label="To iPaaS")
    scope.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_role("status").filter(has_text="is linked")).to_have_text(
        "customer/created is linked to Customer."
    )
    expect(page.locator("article", has=page.get_by_role("heading", name="customer/created"))).to_contain_text(
        "Linked to Customer, To iPaaS."
    )

    page.goto(live_server.url + reverse("integration_detail", args=[integration.slug]))
    scopes_rule = page.locator("li", has_text="Every declared webhook scope handled")
    expect(scopes_rule).to_contain_text("(to do)")
    expect(scopes_rule).to_contain_text("Send a signed test event for customer/created to the sandbox inbox.")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_link_the_document_or_the_objects_do_not_support_is_refused_with_the_reason(
    live_server, new_page, alice, northwind, width
):
    integration = IntegrationFactory(owner=northwind, name="Magento by Northwind", slug="magento-by-northwind")
    ForeignDataObject.objects.create(
        integration=integration,
        key="customers",
        name="Customers",
        state=ObjectState.ACCEPTED,
        paths=[{"path": "/customers", "methods": ["GET", "POST"]}],
    )
    WebhookScope.objects.create(integration=integration, name="customer/created")
    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, live_server.url, alice.email)
    page.goto(live_server.url + reverse("integration_collections", args=[integration.slug]))

    def customers():
        return page.get_by_role("article", name="Customers")

    customers().get_by_label(re.compile("^Data model collection:?$")).select_option(label="Customer")
    from_ipaas = customers().get_by_role("group", name=re.compile("Methods used From iPaaS"))
    from_ipaas.get_by_label("POST").check()
    from_ipaas.get_by_label("DELETE").check()
    customers().get_by_role("button", name=re.compile("^Save")).click()
    expect(customers()).to_contain_text(
        "Customers has no such method in the OpenAPI document: untick DELETE From iPaaS. "
        "Its paths have GET and POST only."
    )
    customers().get_by_role("group", name=re.compile("Methods used From iPaaS")).get_by_label("DELETE").uncheck()
    customers().get_by_role("button", name=re.compile("^Save")).click()
    expect(customers()).to_contain_text("Linked to Customer; From iPaaS: POST.")

    scope = page.get_by_role("article", name="customer/created")
    scope.get_by_label(re.compile("^Data model collection:?$")).select_option(label="Customer")
    scope.get_by_label(re.compile("^Direction:?$")).select_option(label="To iPaaS")
    scope.get_by_role("button", name=re.compile("^Save")).click()
    scope = page.get_by_role("article", name="customer/created")
    expect(scope).to_contain_text(
        "customer/created cannot be linked to Customer To iPaaS: no data object of Customer supports To iPaaS"
    )
    expect(scope).to_contain_text("Not linked yet")
    scope.get_by_label(re.compile("^Direction:?$")).select_option(label="From iPaaS")
    scope.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_role("article", name="customer/created")).to_contain_text("Linked to Customer, From iPaaS.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
