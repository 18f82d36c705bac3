"""Mapping tests in a real browser: add a test on the mapping editor, run all tests of the
version, see it pass; then a failing one shows its field-by-field diff. At 1280 and 390 wide."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from integrations.models import MappingTest, MappingTestRun
from tests.browser.test_mapping_preview_journey import mapping  # noqa: F401 - the fixture
from tests.browser.test_registry_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_person_adds_a_mapping_test_runs_all_tests_and_sees_it_pass(live_server, new_page, alice, mapping):  # noqa: F811
    version = mapping.version
    editor = live_server.url + reverse(
        "mapping_collection_detail", args=[version.integration.slug, version.public_id, mapping.public_id]
    )
    for width in (1280, 390):
        MappingTest.objects.all().delete()
        MappingTestRun.objects.all().delete()
        page = new_page(viewport={"width": width, "height": 900})
        sign_in(page, live_server.url, alice.email)
        page.goto(editor)
        section = page.locator("#mapping-tests")
        section.get_by_label("Test name").fill("New web customer")
        section.get_by_label("Sample input record (JSON)").fill(
            '{"email": "ada@example.com", "sku": "A100", "country": "France"}'
        )
        section.get_by_label("Expected output (JSON)").fill(
            '{"Email": "ada@example.com", "Sku": "WEBA100", "Source": "Magento", "Country": "FR"}'
        )
        section.get_by_role("button", name="Add the test").click()
        expect(page.locator("#mapping-tests")).to_contain_text("never run")

        section = page.locator("#mapping-tests")
        section.get_by_label("Test name").fill("Wrong SKU")
        section.get_by_label("Sample input record (JSON)").fill(
            '{"email": "b@example.com", "sku": "B2", "country": "France"}'
        )
        section.get_by_label("Expected output (JSON)").fill(
            '{"Email": "b@example.com", "Sku": "B2", "Source": "Magento", "Country": "FR"}'
        )
        section.get_by_role("button", name="Add the test").click()

        page.get_by_role("link", name=f"Run all tests of {version.number}").click()
        page.get_by_role("button", name="Run all tests").click()
        expect(page.locator("#mapping-test-progress")).to_contain_text("2 of 2 tests")
        results = page.locator("table")
        expect(results.locator("tr", has_text="New web customer")).to_contain_text("Pass")
        expect(results.locator("tr", has_text="Wrong SKU")).to_contain_text('expected "B2", got "WEBB2"')
        page.screenshot(path=f"test-artifacts/screenshots/mapping-tests-{width}.png", full_page=True)

        page.goto(editor)
        expect(page.locator("#mapping-tests tr", has_text="New web customer")).to_contain_text("pass")
        expect(page.locator("#mapping-tests tr", has_text="Wrong SKU")).to_contain_text("fail")
