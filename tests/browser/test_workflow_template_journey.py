"""A MiSP submits a workflow template for a Certified integration version in a real browser, Red
Rook staff approve it in the admin, and the integration shows One-Click."""

import json

import pytest
from playwright.sync_api import Page, expect

from certification.workflow_templates.models import WorkflowTemplate
from tests.admin_forms import admin_url
from tests.browser.test_admin_journey import signed_in_as
from tests.certification.workflow_templates import world

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_misp_submits_a_template_staff_approve_it_and_the_integration_is_one_click(
    page: Page, live_server, northwind, alice, misty, sam
):
    integration, version = world.certified(northwind, alice, sam)
    signed_in_as(page, live_server, misty)
    page.goto(f"{live_server.url}/integrations/{integration.slug}/workflow-templates/")
    expect(page.locator("#integration-tier")).to_have_text("Certified")
    page.get_by_role("link", name="Submit a workflow template for version 1.0.0").click()

    page.get_by_label("Name:", exact=True).fill("Sign-ups to the ERP")
    page.get_by_label("Description:", exact=True).fill("New shoppers reach the ERP.")
    page.get_by_label("Definition (JSON):").fill(json.dumps(world.definition(scope="order/shipped")))
    page.get_by_role("button", name="Submit the workflow template").click()
    expect(page.get_by_role("alert").first).to_contain_text("does not fit version 1.0.0")
    expect(page.get_by_text("“order/shipped” is not a webhook scope")).to_be_visible()

    page.get_by_label("Definition (JSON):").fill(json.dumps(world.definition()))
    page.get_by_role("button", name="Submit the workflow template").click()
    expect(page.locator("#template-status")).to_have_text("Submitted")

    page.context.clear_cookies()
    signed_in_as(page, live_server, sam)
    template = WorkflowTemplate.objects.get()
    page.goto(live_server.url + admin_url(WorkflowTemplate, "change", template.pk))
    page.get_by_label("Decision:").select_option("approve")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/integrations/{integration.slug}/workflow-templates/")
    expect(page.locator("#integration-tier")).to_have_text("One-Click")
    expect(page.get_by_role("link", name="Sign-ups to the ERP")).to_be_visible()
