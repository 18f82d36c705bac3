"""Alice proves her integration's connection: she creates its sandbox inbox, reveals the signing
secret after confirming her password, takes the URL and the secret, the third-party system (this
test, with the standardwebhooks package) sends a signed customer/created event, and back on the
page she sees the event and the scope marked seen, and the secret no longer shown. A delivery the
inbox refused is listed too, with its reason, the headers received and the body, on a wide screen
and on a phone, and each scope's snippet can be copied with the keyboard."""

import json
import re
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect
from standardwebhooks import Webhook

from integrations.inbox import services as inbox_services
from integrations.inbox.webhooks import new_secret
from integrations.models import Association, AssociationStatus, WebhookScope
from tests.browser.test_registry_journey import sign_in
from tests.factories import PASSWORD, IntegrationFactory, OrganizationFactory

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


def confirm_password(page: Page) -> None:
    """allauth's re-authentication, which a reveal or a rotation asks for first."""
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    page.get_by_role("main").get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def test_an_integrator_sends_a_signed_test_event_and_sees_the_scope_seen(live_server, page, integration):
    sign_in(page, live_server.url, ALICE)
    inbox_page = live_server.url + f"/integrations/{integration.slug}/inbox/"
    page.goto(inbox_page)
    expect(page.get_by_role("heading", name="Sandbox inbox of Magento by Northwind", level=1)).to_be_visible()
    expect(scope_row(page, "customer/created")).to_contain_text("Not seen yet")
    page.get_by_role("button", name="Create the sandbox inbox").click()
    expect(page.get_by_role("status").filter(has_text="The sandbox inbox is ready")).to_be_visible()
    expect(page.get_by_label("The signing secret")).to_have_count(0)

    page.get_by_role("button", name="Reveal the signing secret").click()
    confirm_password(page)
    secret = page.get_by_label("The signing secret").inner_text()
    url = page.locator("#inbox-url").inner_text()
    assert secret.startswith("whsec_") and url.startswith(live_server.url + "/inbox/")
    expect(page.locator("#python-snippet-1")).to_contain_text(secret)

    status, answer = send_signed_event(url, secret, "customer/created")
    assert (status, answer) == (202, {"status": "verified", "scope": "customer/created"})

    page.goto(inbox_page)
    expect(scope_row(page, "customer/created")).to_contain_text("Seen")
    expect(scope_row(page, "product/updated")).to_contain_text("Not seen yet")
    event = page.locator(".inbox-deliveries").get_by_role("group").filter(has_text="customer/created")
    expect(event).to_have_count(1)
    expect(event.locator("summary")).to_contain_text("Verified")
    event.locator("summary").click()
    expect(event).to_contain_text('"email": "jo@example.com"')
    expect(page.get_by_label("The signing secret")).to_have_count(0)
    expect(page.get_by_text(re.compile(rf"The secret ends in …{re.escape(secret[-4:])}"))).to_be_visible()


def test_rotating_asks_for_the_password_and_shows_the_new_secret(live_server, page, integration, alice):
    first = inbox_services.create_inbox(integration, acting_user=alice).secret
    sign_in(page, live_server.url, ALICE)
    page.goto(live_server.url + f"/integrations/{integration.slug}/inbox/")
    page.get_by_role("button", name="Rotate the secret").click()
    confirm_password(page)
    expect(page.get_by_role("status").filter(has_text="new signing secret")).to_be_visible()
    second = page.get_by_label("The signing secret").inner_text()
    assert second != first and second.startswith("whsec_")
    expect(page.get_by_text("The previous secret is still accepted until")).to_be_visible()
    # The password was just confirmed: revealing again shows the same new secret without asking.
    page.goto(live_server.url + f"/integrations/{integration.slug}/inbox/")
    page.get_by_role("button", name="Reveal the signing secret").click()
    expect(page.get_by_label("The signing secret")).to_have_text(second)


def test_at_phone_width_the_inbox_and_associations_pages_do_not_scroll_sideways(
    live_server, new_page, integration, bluebird
):
    inbox_services.create_inbox(integration, acting_user=None)  # its long URL is what could overflow
    Association.objects.create(integration=integration, organization=bluebird, message="We know Magento " * 20)
    other = OrganizationFactory(name="Canary Integrations with a rather long name", is_integrator=True)
    Association.objects.create(integration=integration, organization=other, status=AssociationStatus.ACCEPTED)
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server.url, ALICE)
    for path in [f"/integrations/{integration.slug}/inbox/", f"/integrations/{integration.slug}/associations/"]:
        page.goto(live_server.url + path)
        widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["scroll"] <= widths["inner"], f"{path} scrolls sideways at 390 px wide: {widths}"


def send_raw(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - the live server
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.mark.parametrize("width", [1280, 390])
def test_a_refused_delivery_is_listed_with_its_reason_headers_and_body(live_server, new_page, integration, width):
    inbox = inbox_services.create_inbox(integration, acting_user=None)
    url = live_server.url + f"/inbox/{inbox.token}/"
    body = json.dumps({"type": "customer/created", "data": {"email": "jo@example.com"}})
    msg_id, now = "msg_signed_with_an_old_secret", datetime.now(tz=UTC)
    headers = {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(new_secret()).sign(msg_id, now, body),
    }
    assert send_raw(url, body.encode(), headers) == 401

    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, live_server.url, ALICE)
    page.goto(live_server.url + f"/integrations/{integration.slug}/inbox/")
    refused = page.locator(".inbox-deliveries").get_by_role("group").filter(has_text=msg_id)
    expect(refused.locator("summary")).to_contain_text("Refused: Bad signature")
    refused.locator("summary").click()
    expect(refused).to_contain_text("Answered 401: signature does not match.")
    expect(refused.get_by_role("row").filter(has_text="Webhook-Id")).to_contain_text(msg_id)
    expect(refused).to_contain_text('"email": "jo@example.com"')
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], f"the inbox page scrolls sideways at {width} px wide: {widths}"


def test_each_scopes_snippet_has_a_copy_button_that_works_from_the_keyboard(live_server, page, integration):
    inbox_services.create_inbox(integration, acting_user=None)
    sign_in(page, live_server.url, ALICE)
    page.goto(live_server.url + f"/integrations/{integration.slug}/inbox/")
    page.get_by_text("Send product/updated").click()
    button = page.get_by_role("button", name="Copy the curl snippet for product/updated")
    button.focus()
    page.keyboard.press("Enter")
    status = button.locator("xpath=..").get_by_role("status")
    expect(status).to_have_text(re.compile(r"Copied\.|Selected: press Ctrl\+C"))
