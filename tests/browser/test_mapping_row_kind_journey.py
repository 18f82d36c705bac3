"""In the mapping editor, choosing another kind for a row swaps in the inputs of that kind: a
screen reader hears it in the editor's status region ("Row 3 is now a dynamic formula: enter the
formula.") and focus lands on the first input of the new kind."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from integrations.mappings import services as mapping_services
from integrations.mappings.services import RowValues
from tests.browser.test_registry_journey import sign_in
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def mapping(northwind, alice):
    integration = IntegrationFactory(owner=northwind, name="Magento by Northwind", slug="magento-by-northwind")
    version = IntegrationVersionFactory(integration=integration, number="1.0.0")
    mapping = template_mapping(version, alice, "Magento Customer ADD TO IPAAS")
    for target, source in (("Id", "id"), ("Email", "email"), ("FirstName", "first")):
        mapping_services.add_mapping_row(
            mapping, acting_user=alice, values=RowValues(target=target, kind="field", source=source)
        )
    return mapping


def _choose_kind(form, label: str) -> None:
    form.get_by_label(re.compile("^Kind:?$")).select_option(label=label)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_rows_new_kind_is_announced_and_focus_lands_on_its_first_input(live_server, new_page, alice, mapping, width):
    page: Page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, live_server.url, alice.email)
    version = mapping.version
    page.goto(
        live_server.url
        + reverse("mapping_collection_detail", args=[version.integration.slug, version.public_id, mapping.public_id])
    )
    status = page.locator("#mapping-rows-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("")

    third = page.locator("article.mapping-row").nth(2)
    third.get_by_text("Edit", exact=False).first.click()
    _choose_kind(third, "Dynamic formula")

    expect(status).to_have_text("Row 3 is now a dynamic formula: enter the formula.")
    expect(third.get_by_label(re.compile("^Dynamic formula"))).to_be_focused()
    expect(third.get_by_label(re.compile("^Source:?$"))).to_have_count(0)

    _choose_kind(third, "Translation")
    expect(status).to_have_text(
        "Row 3 is now a translation: enter the source field, then choose the translation table."
    )
    expect(third.get_by_label(re.compile("^Source:?$"))).to_be_focused()

    new_row = page.locator("#new-row")
    _choose_kind(new_row, "Static value")
    expect(status).to_have_text("The new row is now a static value: enter the value.")
    expect(new_row.get_by_label(re.compile("^Static value:?$"))).to_be_focused()


def test_choosing_the_kind_with_the_arrow_keys_keeps_focus_on_the_kind_and_still_announces(
    live_server, new_page, alice, mapping
):
    """Each arrow key on a closed list is a change: focus moving away would stop the person at the
    next kind, so it stays, and the status region says which input comes next."""
    page: Page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, alice.email)
    version = mapping.version
    page.goto(
        live_server.url
        + reverse("mapping_collection_detail", args=[version.integration.slug, version.public_id, mapping.public_id])
    )
    new_row = page.locator("#new-row")
    fields = new_row.locator(".mapping-row-fields")
    new_row.get_by_label(re.compile("^Kind:?$")).focus()

    page.keyboard.press("ArrowDown")
    expect(fields).to_have_attribute("data-kind", "formula")
    expect(page.locator("#mapping-rows-status")).to_have_text(
        "The new row is now a dynamic formula: enter the formula."
    )
    expect(new_row.get_by_label(re.compile("^Kind:?$"))).to_be_focused()

    page.keyboard.press("ArrowDown")
    expect(fields).to_have_attribute("data-kind", "static")
    expect(new_row.get_by_label(re.compile("^Kind:?$"))).to_be_focused()
