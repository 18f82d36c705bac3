"""Alice proves her integration's connection: she opens its sandbox inbox, takes the URL and the
secret shown once, the third-party system (this test, with the standardwebhooks package) sends a
signed customer/created event, and after a reload she sees the event and the scope marked seen."""

import json
import re
import urllib.request
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect
from standardwebhooks import Webhook

from integrations.models import Association, AssociationStatus, WebhookScope
from tests.browser.test_registry_journey import sign_in
from tests.factories import IntegrationFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ALICE = "alice@northwind.example.com"


@pytest.fixture
def integration(northwind, alice, settings, live_server):
    settings.SITE_URL = live_server.url
    integration = IntegrationFactory(owner=northwind, name="Magento by Northwind", slug="magento-by-northwind")
    WebhookScope.objects.create(integration=integration, name="customer/created")
    WebhookScope.objects.create(integration=integration, name="product/updated")
    return integration


def send_signed_event(url: str, secret: str, scope: str) -> tuple[int, dict]:
    body = json.dumps({"type": scope, "data": {"id": 42, "email": "jo@example.com"}})
    msg_id, now = f"msg_{uuid.uuid4().hex}", datetime.now(tz=UTC)
    headers = {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, now, body),
    }
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")  # noqa: S310 - the live server
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, json.loads(response.read())


def scope_row(page: Page, scope: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=scope))


def test_an_integrator_sends_a_signed_test_event_and_sees_the_scope_seen(live_server, page, integration):
    sign_in(page, live_server.url, ALICE)
    page.goto(live_server.url + f"/integrations/{integration.slug}/inbox/")
    expect(page.get_by_role("heading", name="Sandbox inbox of Magento by Northwind", level=1)).to_be_visible()
    expect(scope_row(page, "customer/created")).to_contain_text("Not seen yet")
    expect(page.get_by_text("it is shown only this once")).to_be_visible()
    secret = page.get_by_label("The signing secret, shown once").inner_text()
    url = page.locator("#inbox-url").inner_text()
    assert secret.startswith("whsec_") and url.startswith(live_server.url + "/inbox/")
    expect(page.locator("#python-snippet")).to_contain_text(secret)

    status, answer = send_signed_event(url, secret, "customer/created")
    assert (status, answer) == (202, {"status": "verified", "scope": "customer/created"})

    page.reload()
    expect(scope_row(page, "customer/created")).to_contain_text("Seen")
    expect(scope_row(page, "product/updated")).to_contain_text("Not seen yet")
    event = page.get_by_role("group").filter(has_text="customer/created")
    expect(event).to_have_count(1)
    event.locator("summary").click()
    expect(event).to_contain_text('"email": "jo@example.com"')
    expect(page.get_by_label("The signing secret, shown once")).to_have_count(0)
    expect(page.get_by_text(re.compile(rf"The secret ends in …{re.escape(secret[-4:])}"))).to_be_visible()


def test_rotating_shows_a_new_secret_once(live_server, page, integration):
    sign_in(page, live_server.url, ALICE)
    page.goto(live_server.url + f"/integrations/{integration.slug}/inbox/")
    first = page.get_by_label("The signing secret, shown once").inner_text()
    page.get_by_role("button", name="Rotate the secret").click()
    expect(page.get_by_role("status").filter(has_text="new signing secret")).to_be_visible()
    second = page.get_by_label("The signing secret, shown once").inner_text()
    assert second != first and second.startswith("whsec_")
    expect(page.get_by_text("The previous secret is still accepted until")).to_be_visible()


def test_at_phone_width_the_inbox_and_associations_pages_do_not_scroll_sideways(
    live_server, new_page, integration, bluebird
):
    Association.objects.create(integration=integration, organization=bluebird, message="We know Magento " * 20)
    other = OrganizationFactory(name="Canary Integrations with a rather long name", is_integrator=True)
    Association.objects.create(integration=integration, organization=other, status=AssociationStatus.ACCEPTED)
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server.url, ALICE)
    for path in [f"/integrations/{integration.slug}/inbox/", f"/integrations/{integration.slug}/associations/"]:
        page.goto(live_server.url + path)
        widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["scroll"] <= widths["inner"], f"{path} scrolls sideways at 390 px wide: {widths}"
