"""A MiSP submits a workflow template for a Certified integration version in a real browser, Red
Rook staff approve it in the admin, and the integration shows One-Click. The integrator then
starts a new version and, on the same page, carries the approved template over to it: it waits
for Red Rook as a new submission."""

import json

import pytest
from playwright.sync_api import Page, expect

from certification.workflow_templates import services
from certification.workflow_templates.models import TemplateStatus, WorkflowTemplate
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


def test_starting_a_new_version_carries_the_approved_template_over_at_once(
    page: Page, live_server, northwind, alice, misty, summit, sam
):
    integration, version = world.certified(northwind, alice, sam)
    template = world.submit(version, misty, summit)
    services.approve_workflow_template(template, acting_user=sam)
    signed_in_as(page, live_server, alice)
    page.goto(f"{live_server.url}/integrations/{integration.slug}/")
    page.get_by_role("button", name="Start a new version from 1.0.0").click()

    offer = page.get_by_role("group", name="Workflow templates")
    checkbox = offer.get_by_role("checkbox", name="Carry over the approved workflow template of version 1.0.0")
    expect(checkbox).to_be_checked()
    expect(offer).to_contain_text(f"“{template.name}”")
    page.get_by_label("Version:").fill("1.1.0")
    page.get_by_role("button", name="Start version").click()

    expect(page.get_by_text("Carried over to version 1.1.0 as new submissions")).to_be_visible()
    carried = WorkflowTemplate.objects.get(version__number="1.1.0")
    assert (carried.status, carried.carried_from) == (TemplateStatus.SUBMITTED, template)
    page.goto(f"{live_server.url}/integrations/{integration.slug}/")
    section = page.get_by_role("region", name="Workflow templates")
    expect(section.get_by_role("listitem").filter(has_text="Version 1.1.0")).to_contain_text("1 waiting for Red Rook")
