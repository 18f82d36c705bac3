"""An integrator uploads Magento's OpenAPI 2.0 document in a real browser: the page shows the
import's progress while the Celery task is held back, then the proposed foreign data objects once
it has run; she accepts one and renames another in place, and the Compatible rule `api_described`
passes."""

import re

import pytest
from playwright.sync_api import Page, expect

from integrations import tasks
from integrations.models import ObjectState, OpenAPIImport
from integrations.openapi import services as openapi_services
from integrations.tiers import compatible_ready
from integrations.tiers import engine as tiers
from portal.models import Role
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    IntegrationFactory,
    IntegrationVersionFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.integrations.openapi.test_openapi_import import require_corpus_file

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DOCUMENT = "walmart__inventory-3.0.1__swagger.yaml"


@pytest.fixture
def alice_integration(db):
    northwind = OrganizationFactory(name="Northwind Integrations", slug="northwind", is_integrator=True)
    alice = UserFactory(email="alice@northwind.example.com", name="Alice Integrator")
    MembershipFactory(user=alice, organization=northwind, role=Role.OWNER)
    adobe = OrganizationFactory(name="Adobe", slug="adobe", is_provider=True, is_integrator=False)
    magento = ApplicationFactory(provider=adobe, name="Magento", slug="magento")
    integration = IntegrationFactory(owner=northwind, application=magento, name="Magento by Northwind", slug="magento")
    IntegrationVersionFactory(integration=integration, number="1.0.0")
    return integration


@pytest.fixture
def held_tasks(monkeypatch):
    """Imports queued by the page, not yet run: the test runs them when it wants the progress to end."""
    held: list[int] = []
    monkeypatch.setattr(openapi_services, "_enqueue", held.append)
    return held


def sign_in(page: Page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    main = page.get_by_role("main")
    main.get_by_label(re.compile(r"^Email:?$")).fill("alice@northwind.example.com")
    main.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    main.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name=re.compile("^Welcome"))).to_be_visible()


def test_an_integrator_imports_an_openapi_document_and_decides_on_its_objects(
    page: Page, live_server, alice_integration, held_tasks
):
    document = require_corpus_file(DOCUMENT)
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/integrations/{alice_integration.slug}/openapi/")
    expect(page.get_by_role("heading", name="OpenAPI document of Magento by Northwind", level=1)).to_be_visible()

    page.get_by_label(re.compile(r"^OpenAPI 2.0 document:?$")).set_input_files(str(document))
    page.get_by_role("button", name="Upload and read").click()

    progress = page.locator("#openapi-progress")
    expect(progress).to_contain_text("Waiting to start")
    expect(progress.get_by_role("progressbar")).to_be_visible()
    assert len(held_tasks) == 1
    tasks.import_openapi_document.delay(held_tasks[0])  # the worker gets to it; the page notices by itself

    objects = page.locator("#objects")
    expect(objects.get_by_role("heading", name="Version 3", level=3)).to_be_visible()
    expect(objects.get_by_role("heading", name="Version 2", level=3)).to_be_visible()
    expect(page.locator("#openapi-progress")).to_contain_text("Read")
    expect(page.get_by_text("No errors: this meets the Compatible tier's document rule.")).to_be_visible()

    version_3 = objects.locator("article", has=page.get_by_role("heading", name="Version 3"))
    version_3.get_by_role("button", name="Accept Version 3").click()
    expect(version_3.get_by_role("status")).to_contain_text("Version 3 is saved: accepted.")
    expect(version_3.locator(".badge").first).to_have_text("Accepted")

    version_2 = objects.locator("article", has=page.get_by_role("heading", name="Version 2"))
    version_2.get_by_label("New name for Version 2").fill("Inventory (v2)")
    version_2.get_by_role("button", name="Rename Version 2").click()
    expect(objects.get_by_role("heading", name="Inventory (v2)", level=3)).to_be_visible()

    page.reload()
    expect(objects.get_by_role("heading", name="Inventory (v2)", level=3)).to_be_visible()
    reloaded = objects.locator("article", has=page.get_by_role("heading", name="Version 3"))
    expect(reloaded.locator(".badge").first).to_have_text("Accepted")

    states = dict(alice_integration.foreign_objects.values_list("name", "state"))
    assert states == {"Version 3": ObjectState.ACCEPTED, "Inventory (v2)": ObjectState.PROPOSED}
    assert OpenAPIImport.objects.get().is_valid_openapi2
    facts = tiers.load_facts(alice_integration.versions.get())
    assert compatible_ready.api_described(facts).passed
