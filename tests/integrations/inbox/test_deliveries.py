"""Every delivery to the sandbox inbox is listed, verified or refused, with its reason, headers and
body; what a refused request can make the portal store is bounded; refused ones go after a week."""

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from integrations.inbox import deliveries
from integrations.inbox import services as inbox_services
from integrations.inbox.snippets import snippets_per_scope
from integrations.inbox.webhooks import MAX_BODY_BYTES, new_secret
from integrations.models import InboxDelivery, InboxEvent, RefusalReason, WebhookScope
from integrations.tasks import prune_inbox_deliveries
from tests.conftest import client_for
from tests.factories import IntegrationFactory

from .test_inbox import body_for, page, send, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(integration):
    WebhookScope.objects.create(integration=integration, name="customer/created")
    WebhookScope.objects.create(integration=integration, name="product/updated")
    return integration


@pytest.fixture
def inbox(integration, alice):
    return inbox_services.create_inbox(integration, acting_user=alice)


def _only(**fields) -> InboxDelivery:
    [delivery] = InboxDelivery.objects.all()
    for name, value in fields.items():
        assert getattr(delivery, name) == value, (name, getattr(delivery, name))
    return delivery


REFUSALS = [
    # (what, how to change the signed request, status, reason kept)
    ("bad signature", lambda s, b: ({**signed(s, b), "HTTP_WEBHOOK_SIGNATURE": "v1,AAAA"}, b), 401, "bad_signature"),
    ("another secret", lambda s, b: (signed(new_secret(), b), b), 401, "bad_signature"),
    ("unreadable signature", lambda s, b: ({**signed(s, b), "HTTP_WEBHOOK_SIGNATURE": "x"}, b), 400, "bad_signature"),
    ("too old", lambda s, b: (signed(s, b, timestamp=time.time() - 301), b), 400, "too_old"),
    ("not JSON", lambda s, b: (signed(s, b"hello"), b"hello"), 400, "not_json"),
    ("no type", lambda s, b: (signed(s, b"[1, 2]"), b"[1, 2]"), 400, "not_json"),
    (
        "undeclared scope",
        lambda s, b: (signed(s, body_for("order/created")), body_for("order/created")),
        422,
        "undeclared_scope",
    ),
    ("no headers", lambda s, b: ({}, b), 400, "missing_headers"),
    ("long id", lambda s, b: (signed(s, b, msg_id="m" * 201), b), 400, "malformed"),
]


@pytest.mark.parametrize("what, change, status, reason", REFUSALS, ids=[row[0] for row in REFUSALS])
def test_a_refused_delivery_is_kept_with_its_reason_headers_and_body(integration, inbox, what, change, status, reason):
    headers, body = change(inbox.secret, body_for())

    assert send(inbox, body, headers).status_code == status

    delivery = _only(status_code=status, refusal_reason=reason, body=body.decode(), body_size=len(body))
    assert not delivery.is_verified and delivery.event is None and delivery.detail
    assert ["Content-Type", "application/json"] in delivery.headers
    assert not InboxEvent.objects.exists()


def test_an_undeclared_scope_is_kept_with_the_scope_the_body_names(integration, inbox):
    body = body_for("order/created")
    send(inbox, body, signed(inbox.secret, body))

    _only(refusal_reason=RefusalReason.UNDECLARED_SCOPE, scope="order/created")


def test_a_replay_is_kept_as_a_replay(integration, inbox):
    headers = signed(inbox.secret, body_for(), msg_id="msg_twice")
    send(inbox, body_for(), headers)

    assert send(inbox, body_for(), headers).status_code == 409

    refused = InboxDelivery.objects.get(refusal_reason=RefusalReason.REPLAY)
    assert refused.webhook_id == "msg_twice"
    assert InboxDelivery.objects.filter(refusal_reason="").count() == 1


def test_a_body_over_the_limit_is_kept_as_too_large_without_reading_it(integration, inbox):
    body = body_for(text="x" * MAX_BODY_BYTES)

    assert send(inbox, body, signed(inbox.secret, body)).status_code == 413

    delivery = _only(refusal_reason=RefusalReason.TOO_LARGE, body="", body_size=len(body))
    assert delivery.body_truncated


def test_a_rate_limited_delivery_is_kept_as_rate_limited(integration, inbox, monkeypatch):
    monkeypatch.setattr(inbox_services, "RATE_LIMIT_PER_MINUTE", 1)
    send(inbox, body_for(), signed(inbox.secret, body_for(), msg_id="msg_first"))

    assert send(inbox, body_for(), signed(inbox.secret, body_for(), msg_id="msg_second")).status_code == 429

    refused = InboxDelivery.objects.get(refusal_reason=RefusalReason.RATE_LIMITED)
    assert refused.status_code == 429 and refused.webhook_id == "msg_second" and refused.body == ""


def test_a_verified_delivery_is_kept_with_its_event(integration, inbox):
    body = body_for()

    assert send(inbox, body, signed(inbox.secret, body, msg_id="msg_ok")).status_code == 202

    delivery = _only(status_code=202, refusal_reason="", scope="customer/created", webhook_id="msg_ok")
    assert delivery.is_verified and delivery.event == InboxEvent.objects.get()
    assert delivery.body == body.decode()
    assert any(name.lower() == "webhook-signature" for name, _ in delivery.headers)


def test_credentials_and_cookies_are_never_stored(integration, inbox):
    send(inbox, b"{}", {"HTTP_AUTHORIZATION": "Bearer s3cr3t", "HTTP_COOKIE": "sessionid=abc"})

    headers = dict(_only().headers)
    assert headers["Authorization"] == headers["Cookie"] == deliveries.WITHHELD
    assert "s3cr3t" not in str(InboxDelivery.objects.values_list("headers", flat=True)[0])


def test_only_the_start_of_a_body_and_of_the_headers_is_stored(integration, inbox):
    body = body_for(text="é" * 100_000)
    many = {f"HTTP_X_FILLER_{n}": "y" * 2000 for n in range(20)}

    send(inbox, body, {**signed(new_secret(), body), **many})

    delivery = _only(body_size=len(body), body_truncated=True)
    assert len(delivery.body.encode()) <= deliveries.STORED_BODY_BYTES + 3  # a cut character becomes one U+FFFD
    assert sum(len(name) + len(value) for name, value in delivery.headers) <= deliveries.STORED_HEADER_BYTES + 100
    assert delivery.headers[-1] == ["…", "more headers, not stored"]


def test_refusals_beyond_the_per_minute_share_are_answered_but_not_stored(integration, inbox, monkeypatch):
    monkeypatch.setattr(deliveries, "REFUSED_STORED_PER_MINUTE", 2)

    answers = [send(inbox, b"{}", {}).status_code for _ in range(5)]

    assert answers == [400] * 5
    assert InboxDelivery.objects.count() == 2


def test_verified_deliveries_are_not_held_back_by_the_refusals_share(integration, inbox, monkeypatch):
    monkeypatch.setattr(deliveries, "REFUSED_STORED_PER_MINUTE", 1)
    send(inbox, b"{}", {})
    send(inbox, b"{}", {})

    send(inbox, body_for(), signed(inbox.secret, body_for()))

    assert InboxDelivery.objects.filter(refusal_reason="").count() == 1


def test_at_most_refused_kept_refused_deliveries_stay_the_newest_ones(integration, inbox, monkeypatch):
    monkeypatch.setattr(deliveries, "REFUSED_KEPT", 3)
    for n in range(5):
        send(inbox, b"{}", {"HTTP_WEBHOOK_ID": f"msg_{n}"})
    send(inbox, body_for(), signed(inbox.secret, body_for(), msg_id="msg_ok"))

    kept = InboxDelivery.objects.exclude(refusal_reason="")
    assert sorted(kept.values_list("webhook_id", flat=True)) == ["msg_2", "msg_3", "msg_4"]
    assert InboxDelivery.objects.filter(refusal_reason="").count() == 1


def test_the_daily_prune_removes_refused_deliveries_older_than_a_week_and_keeps_verified_ones(integration, inbox):
    send(inbox, b"{}", {"HTTP_WEBHOOK_ID": "msg_old"})
    send(inbox, body_for(), signed(inbox.secret, body_for(), msg_id="msg_ok"))
    send(inbox, b"{}", {"HTTP_WEBHOOK_ID": "msg_recent"})
    eight_days_ago = timezone.now() - timedelta(days=8)
    InboxDelivery.objects.filter(webhook_id__in=["msg_old", "msg_ok"]).update(received_at=eight_days_ago)

    assert prune_inbox_deliveries() == 1

    assert sorted(InboxDelivery.objects.values_list("webhook_id", flat=True)) == ["msg_ok", "msg_recent"]


def test_the_prune_runs_every_day_from_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["prune-inbox-deliveries"]
    assert entry["task"] == "integrations.tasks.prune_inbox_deliveries"
    assert entry["schedule"].hour == {3}


def test_a_signature_header_whose_first_entry_is_malformed_is_accepted_when_a_later_one_verifies(integration, inbox):
    body = body_for()
    headers = signed(inbox.secret, body, msg_id="msg_two_signatures")
    good = headers["HTTP_WEBHOOK_SIGNATURE"]
    headers["HTTP_WEBHOOK_SIGNATURE"] = f"v1,***not-base64*** no-comma v1a,AAAA {good}"

    assert send(inbox, body, headers).status_code == 202

    _only(refusal_reason="", webhook_id="msg_two_signatures")


# --- The page -------------------------------------------------------------------------------


def test_the_page_lists_a_refused_delivery_with_its_reason_headers_and_body(alice, integration, inbox):
    body = body_for("order/created")
    send(inbox, body, signed(inbox.secret, body, msg_id="msg_undeclared"))

    content = page(alice, integration).content.decode()

    assert "Refused: Undeclared scope" in content and "scope not declared" in content
    assert "msg_undeclared" in content and "webhook-signature" in content.lower()
    assert "&quot;type&quot;: &quot;order/created&quot;" in content


def test_the_page_lists_verified_and_refused_deliveries_newest_first_and_pages_them(
    alice, integration, inbox, monkeypatch
):
    monkeypatch.setattr(deliveries, "REFUSED_STORED_PER_MINUTE", 100)
    for n in range(deliveries.DELIVERIES_PER_PAGE + 3):
        send(inbox, b"{}", {"HTTP_WEBHOOK_ID": f"msg_refused_{n:02}"})
    send(inbox, body_for(), signed(inbox.secret, body_for(), msg_id="msg_newest"))
    url = reverse("integration_inbox", args=[integration.slug])
    client = client_for(alice)
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert first.count('class="badge badge-rejected"') == deliveries.DELIVERIES_PER_PAGE - 1
    assert first.index("msg_newest") < first.index("msg_refused_22") and "Page 1 of 2" in first
    assert second.count('class="badge badge-rejected"') == 4 and "msg_refused_00" in second


def test_the_page_lists_only_this_integrations_deliveries(alice, northwind, integration, inbox):
    other = IntegrationFactory(owner=northwind)
    other_inbox = inbox_services.create_inbox(other, acting_user=None)
    send(other_inbox, b"{}", {"HTTP_WEBHOOK_ID": "msg_for_the_other"})

    assert "msg_for_the_other" not in page(alice, integration).content.decode()


def test_another_organization_sees_no_delivery_and_an_associated_one_does(alice, bob, bluebird, integration, inbox):
    send(inbox, b"{}", {"HTTP_WEBHOOK_ID": "msg_seen_by_members"})

    assert page(bob, integration).status_code == 404
    assign_perm("integrations.work_on_integration", bluebird.get_permission_group(), integration)
    assert "msg_seen_by_members" in page(bob, integration).content.decode()


def test_the_page_offers_a_snippet_pair_with_copy_buttons_for_each_declared_scope(alice, integration, inbox):
    content = page(alice, integration).content.decode()

    for scope in ("customer/created", "product/updated"):
        assert f"Send <code>{scope}</code>" in content
        assert f'aria-label="Copy the curl snippet for {scope}"' in content
        assert f'aria-label="Copy the python snippet for {scope}"' in content
    assert "&quot;type&quot;:&quot;product/updated&quot;" in content
    assert "/static/js/copy.js" in content


def test_the_snippet_of_each_scope_sends_a_verified_event_of_that_scope(live_server, settings, northwind):
    settings.SITE_URL = live_server.url
    integration = IntegrationFactory(owner=northwind)
    for name in ("customer/created", "product/updated"):
        WebhookScope.objects.create(integration=integration, name=name)
    inbox = inbox_services.create_inbox(integration, acting_user=None)
    url = live_server.url + reverse("inbox_receive", args=[inbox.token])

    for snippet in snippets_per_scope(url, ["customer/created", "product/updated"], inbox.secret):
        result = subprocess.run(  # noqa: S603 - our interpreter and the page's snippet
            [sys.executable, "-c", snippet.python], capture_output=True, text=True, timeout=30, check=False
        )
        assert result.stdout.startswith("202 "), result.stderr

    assert sorted(InboxEvent.objects.values_list("scope", flat=True)) == ["customer/created", "product/updated"]
