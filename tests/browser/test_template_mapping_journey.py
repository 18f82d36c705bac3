"""Issue 5's journey in a real browser, with nothing prepared but the integration: define a
translation table, build a Customer "To iPaaS" template mapping with one row of each kind, see the
required fields become mapped, preview a sample record, add a mapping test, run it and see it pass."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.test_registry_journey import sign_in
from tests.factories import IntegrationFactory, IntegrationVersionFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SAMPLE = '{"id": "C-1001", "email": "  Ada@Example.COM ", "first": "Ada", "last": "lovelace", "group": "2"}'
EXPECTED = (
    '{"Id": "C-1001", "Email": "ada@example.com", "FirstName": "Ada", "LastName": "Lovelace", '
    '"IsActive": "true", "Category": "Wholesale"}'
)


@pytest.fixture
def integration(northwind):
    integration = IntegrationFactory(
        owner=northwind, name="Magento by Northwind", slug="magento-by-northwind", application__name="Magento Commerce"
    )
    IntegrationVersionFactory(integration=integration, number="1.0.0")
    return integration


KINDS = {
    "Field to field": "field",
    "Dynamic formula": "formula",
    "Static value": "static",
    "Translation": "translation",
}


def add_row(page: Page, target: str, kind: str, **fields: str) -> None:
    form = page.locator("#new-row")
    form.get_by_label(re.compile("^Target:?$")).fill(target)
    # Playwright fires "change" even for the kind already chosen: wait until the inputs are swapped.
    inputs = form.locator(".mapping-row-fields")
    inputs.evaluate("element => { element.dataset.before = 'swap' }")
    form.get_by_label(re.compile("^Kind:?$")).select_option(label=kind)
    expect(inputs).not_to_have_attribute("data-before", "swap")
    expect(inputs).to_have_attribute("data-kind", KINDS[kind])
    for label, value in fields.items():
        field = form.get_by_label(re.compile(rf"^{label.replace('_', ' ').capitalize()}:?$"))
        if label == "translation_table":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.get_by_role("button", name="Add the row").click()
    expect(page.get_by_role("status").or_(page.locator(".message-success")).first).to_contain_text(
        f"The row for {target} is added"
    )


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_person_builds_a_customer_mapping_previews_it_and_proves_it_with_a_passing_test(
    live_server, new_page, alice, integration, width
):
    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, live_server.url, alice.email)
    page.goto(live_server.url + reverse("integration_detail", args=[integration.slug]))

    workspace = page.get_by_role("navigation", name="Integration workspace")
    workspace.get_by_role("link", name="Translation tables").click()
    page.get_by_label("Name").fill("Customer groups")
    page.get_by_label("Translations").fill("1 = Retail\n2 = Wholesale")
    page.get_by_role("button", name="Save the table").click()
    expect(page.get_by_role("row", name=re.compile("Customer groups"))).to_contain_text("2")

    page.goto(live_server.url + reverse("integration_detail", args=[integration.slug]))
    workspace.get_by_role("link", name="Template mappings (1.0.0)").click()
    page.get_by_role("button", name="New template mapping").click()  # a link styled as a button
    page.get_by_label("Data model collection").select_option(label="Customer")
    page.get_by_label("Direction").select_option(label="To iPaaS")
    page.get_by_label("Sync type").select_option(label="Add")
    page.get_by_label("Collision handling").select_option(label="Skip the record")
    page.get_by_label("Notes").fill("New web shop customers become iPaaS customers.")
    page.get_by_role("button", name="Create the template mapping").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Customer ADD TO IPAAS$"))
    required = page.locator("section", has=page.get_by_role("heading", name="Required fields"))
    expect(required).to_contain_text("4 required fields of Customer are not mapped yet")

    # The picker: the target input offers Customer's fields with their type and required mark.
    target = page.locator("#new-row").get_by_label(re.compile("^Target:?$"))
    expect(target).to_have_attribute("list", "mapping-target-fields")
    expect(page.locator("#mapping-target-fields option[value=Email]")).to_have_attribute(
        "label", "Email address · required"
    )
    expect(page.locator("#mapping-target-fields option[value=Phone]")).to_have_attribute("label", "Text")
    expect(page.get_by_text("Sources offered: none known")).to_be_visible()

    # A row shows the inputs of its kind only: choosing another kind swaps them, keeping the target.
    new_row = page.locator("#new-row")
    expect(new_row.get_by_label(re.compile("^Source:?$"))).to_be_visible()
    expect(new_row.get_by_label(re.compile("^Static value:?$"))).to_have_count(0)
    target.fill("IsActive")
    new_row.get_by_label(re.compile("^Kind:?$")).focus()  # as a keyboard user would reach it
    new_row.get_by_label(re.compile("^Kind:?$")).select_option(label="Static value")
    expect(new_row.get_by_label(re.compile("^Static value:?$"))).to_be_visible()
    expect(new_row.get_by_label(re.compile("^Source:?$"))).to_have_count(0)
    # Chosen from the list, focus moves to the new kind's first input (test_mapping_row_kind_journey).
    expect(new_row.get_by_label(re.compile("^Static value:?$"))).to_be_focused()
    expect(target).to_have_value("IsActive")
    new_row.get_by_label(re.compile("^Kind:?$")).select_option(label="Translation")
    for label in ("Source", "Translation table", "Default"):
        expect(new_row.get_by_label(re.compile(f"^{label}:?$"))).to_be_visible()
    expect(new_row.get_by_label(re.compile("^Static value:?$"))).to_have_count(0)

    add_row(page, "Id", "Field to field", source="id")
    add_row(page, "Email", "Dynamic formula", dynamic_formula="lower(trim(email))")
    add_row(page, "FirstName", "Field to field", source="first")
    add_row(page, "LastName", "Dynamic formula", dynamic_formula="upper(substring(last, 0, 1)) + substring(last, 1)")
    # A static value must fit its target's type: "maybe" is not true or false; nothing is saved.
    form = page.locator("#new-row")
    form.get_by_label(re.compile("^Target:?$")).fill("IsActive")
    with page.expect_response(lambda response: "/rows/fields/" in response.url):
        form.get_by_label(re.compile("^Kind:?$")).select_option(label="Static value")
    expect(form.get_by_label(re.compile("^Static value:?$"))).to_be_visible()
    form.get_by_label(re.compile("^Static value:?$")).fill("maybe")
    form.get_by_role("button", name="Add the row").click()
    expect(form).to_contain_text("IsActive is True or false: write true or false, not “maybe”.")
    expect(page.locator("article.mapping-row")).to_have_count(4)
    add_row(page, "IsActive", "Static value", static_value="true")
    add_row(page, "Category", "Translation", source="group", translation_table="Customer groups")
    expect(required).to_contain_text("Every required field of Customer is mapped")
    expect(page.locator("article.mapping-row")).to_have_count(6)
    expect(page.get_by_role("heading", name=re.compile(r"^Email Email address · required$"))).to_be_visible()

    page.get_by_label("Sample source record (JSON)").fill(SAMPLE)
    page.get_by_role("button", name="Preview", exact=True).click()
    result = page.locator("#mapping-preview-result")
    expect(result.get_by_role("alert")).to_contain_text("Mapped")
    for pair in ('"Email": "ada@example.com"', '"Category": "Wholesale"', '"Id": "C-1001"', '"LastName": "Lovelace"'):
        expect(result).to_contain_text(pair)
    expect(page.locator("h1")).to_have_count(1)  # the preview came in place

    tests = page.locator("#mapping-tests")
    tests.get_by_label("Test name").fill("Wholesale web customer")
    tests.get_by_label("Sample input record (JSON)").fill(SAMPLE)
    tests.get_by_label("Expected output (JSON)").fill(EXPECTED)
    tests.get_by_role("button", name="Add the test").click()
    expect(page.locator("#mapping-tests tr", has_text="Wholesale web customer")).to_contain_text("never run")

    page.get_by_role("link", name="Run all tests of 1.0.0").click()
    page.get_by_role("button", name="Run all tests").click()
    expect(page.get_by_role("status").filter(has_text="queued")).to_have_text("1 test is queued.")
    expect(page.locator("#mapping-test-progress")).to_contain_text("1 of 1 test")
    expect(page.locator("table tr", has_text="Wholesale web customer")).to_contain_text("Pass")
    page.screenshot(path=f"test-artifacts/screenshots/template-mapping-journey-{width}.png", full_page=True)

    page.locator("table tr", has_text="Wholesale web customer").get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the test “Wholesale web customer”")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the long trail wraps


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_without_javascript_every_input_is_shown_with_its_label_and_a_row_of_any_kind_is_saved(
    live_server, new_page, alice, integration, width
):
    from tests.factories import template_mapping

    mapping = template_mapping(integration.versions.get(), alice, "Magento Commerce Customer ADD TO IPAAS")
    page = new_page(viewport={"width": width, "height": 900}, java_script_enabled=False)
    sign_in(page, live_server.url, alice.email)
    args = [integration.slug, mapping.version.public_id, mapping.public_id]
    page.goto(live_server.url + reverse("mapping_collection_detail", args=args))
    form = page.locator("#new-row")
    for label in ("Target", "Kind", "Source", "Dynamic formula", "Static value", "Translation table", "Default"):
        expect(form.get_by_label(re.compile(f"^{label}:?$"))).to_be_visible()
    form.get_by_label(re.compile("^Target:?$")).fill("IsActive")
    form.get_by_label(re.compile("^Kind:?$")).select_option(label="Static value")
    form.get_by_label(re.compile("^Static value:?$")).fill("true")
    form.get_by_role("button", name="Add the row").click()
    expect(page.locator(".message-success").first).to_contain_text("The row for IsActive is added")
    expect(page.locator("article.mapping-row", has_text="IsActive")).to_contain_text("true")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_row_is_added_at_the_top_and_the_preview_stays_in_view_beside_a_long_mapping(
    live_server, new_page, alice, integration, width
):
    from integrations.mappings import services as mapping_services
    from tests.factories import template_mapping

    mapping = template_mapping(integration.versions.get(), alice, "Magento Commerce Customer ADD TO IPAAS")
    for n in range(15):
        mapping_services.add_mapping_row(
            mapping, acting_user=alice, values=mapping_services.RowValues(target=f"Extra{n}", kind="static", value="x")
        )
    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, live_server.url, alice.email)
    page.goto(
        live_server.url
        + reverse("mapping_collection_detail", args=[integration.slug, mapping.version.public_id, mapping.public_id])
    )

    top = page.locator("#new-row-top")
    top.get_by_text("Add a row at the top").click()
    top.get_by_label(re.compile("^Target:?$")).fill("Id")
    top.get_by_label(re.compile("^Source:?$")).fill("id")
    top.get_by_role("button", name="Add the row at the top").click()
    expect(page.locator(".message-success").first).to_contain_text("The row for Id is added at the top")
    expect(page.locator("article.mapping-row").first).to_have_id(re.compile("^row-"))
    expect(page.locator("article.mapping-row").first.get_by_role("heading")).to_contain_text("Id")

    preview = page.get_by_role("heading", name="Preview with a sample record")
    page.locator("article.mapping-row", has_text="Extra12").scroll_into_view_if_needed()  # far down the rows
    rows_box = page.locator(".mapping-editor-main").bounding_box()
    side_box = page.locator(".mapping-editor-side").bounding_box()
    if width >= 1100:  # side by side, and the side panel sticks while the rows scroll by
        expect(preview).to_be_in_viewport()
        expect(page.get_by_role("button", name="Preview", exact=True)).to_be_in_viewport()
        expect(page.get_by_role("heading", name="Mapping tests")).to_be_in_viewport()
        assert side_box["x"] > rows_box["x"] + rows_box["width"] - 1
    else:  # a phone: the preview and the tests follow the rows
        assert side_box["y"] >= rows_box["y"] + rows_box["height"] - 1
        assert abs(side_box["x"] - rows_box["x"]) < 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
