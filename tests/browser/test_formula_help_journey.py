"""The formula help page's Try it, in a real browser: a result and a refusal both show in place."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_registry_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_person_tries_a_formula_and_sees_the_result_and_then_a_refusal_in_place(live_server, page, alice):
    sign_in(page, live_server.url, alice.email)
    page.goto(live_server.url + "/help/formulas/")
    page.get_by_role("textbox", name="Formula:").fill('upper("web-" + SKU)')
    page.get_by_label("Sample record (JSON)").fill('{"SKU": "a100"}')
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#try-result")).to_contain_text('"WEB-A100"')

    page.get_by_role("textbox", name="Formula:").fill("SKU.__class__")
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#try-result").get_by_role("alert")).to_contain_text("not allowed")
    expect(page.get_by_role("heading", name="Dynamic formulas", level=1)).to_have_count(1)
