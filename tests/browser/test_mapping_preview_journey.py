"""The mapping editor's preview in a real browser: a sample record's output in place, then a
failing row's error both in the result and on the row itself."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from integrations.mappings import services as mapping_services
from integrations.mappings import tables as table_services
from integrations.mappings.services import RowValues
from tests.browser.test_registry_journey import sign_in
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def mapping(northwind, alice):
    integration = IntegrationFactory(owner=northwind, name="Magento by Northwind", slug="magento-by-northwind")
    version = IntegrationVersionFactory(integration=integration, number="1.0.0")
    countries = table_services.save_translation_table(
        integration, acting_user=alice, table=None, name="Countries", rows=[("France", "FR")]
    )
    mapping = template_mapping(version, alice, "Magento Customer ADD TO IPAAS")
    for values in [
        RowValues(target="Email", kind="field", source="email"),
        RowValues(target="Sku", kind="formula", formula='"WEB" + sku'),
        RowValues(target="Source", kind="static", value="Magento"),
        RowValues(target="Country", kind="translation", source="country", table=countries),
    ]:
        mapping_services.add_mapping_row(mapping, acting_user=alice, values=values)
    return mapping


def test_a_person_previews_a_sample_and_sees_a_failing_row_marked_in_place(live_server, new_page, alice, mapping):
    version = mapping.version
    args = [version.integration.slug, version.public_id, mapping.public_id]
    url = live_server.url + reverse("mapping_collection_detail", args=args)
    for width in (1280, 390):
        page = new_page(viewport={"width": width, "height": 900})
        sign_in(page, live_server.url, alice.email)
        page.goto(url)
        sample = page.get_by_label("Sample source record (JSON)")
        sample.fill('{"email": "ada@example.com", "sku": "A100", "country": "France"}')
        page.get_by_role("button", name="Preview", exact=True).click()
        result = page.locator("#mapping-preview-result")
        expect(result.get_by_role("alert")).to_contain_text("Mapped")
        expect(result).to_contain_text('"Sku": "WEBA100"')
        expect(page.locator("h1")).to_have_count(1)  # swapped in place, not a page inside the page

        sample.fill('{"email": "ada@example.com", "sku": "A100", "country": "Spain"}')
        page.get_by_role("button", name="Preview", exact=True).click()
        expect(result.get_by_role("alert")).to_contain_text("1 row failed")
        country = page.locator("article.mapping-row", has=page.get_by_role("heading", name="Country"))
        expect(country.locator(".mapping-row-failed")).to_contain_text("Spain")
        page.screenshot(path=f"test-artifacts/screenshots/mapping-preview-{width}.png", full_page=True)

        sample.fill('{"email": ')
        page.get_by_role("button", name="Preview", exact=True).click()
        expect(result.get_by_role("alert")).to_contain_text("malformed JSON")
