"""The sandbox inbox: its page and secret, and the signed endpoint third-party systems POST to."""

import base64
import hashlib
import hmac
import json
import shutil
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from integrations.inbox import services as inbox_services
from integrations.inbox import snippets as inbox_snippets
from integrations.inbox.webhooks import MAX_BODY_BYTES, new_secret, sign
from integrations.models import Inbox, InboxEvent, Tier, WebhookScope
from integrations.tiers import engine as tiers
from integrations.workspace.services import create_integration
from portal.models import AuditEvent
from tests.conftest import client_for
from tests.factories import PASSWORD, ApplicationFactory, IntegrationFactory
from tests.integrations.tier_world import accepted_association, compatible_integration

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(integration):
    """The shared Magento integration, declaring two webhook scopes."""
    WebhookScope.objects.create(integration=integration, name="customer/created")
    WebhookScope.objects.create(integration=integration, name="product/updated")
    return integration


@pytest.fixture
def inbox(integration, alice):
    return inbox_services.create_inbox(integration, acting_user=alice)


def body_for(scope="customer/created", **data) -> bytes:
    return json.dumps({"type": scope, "data": data or {"id": 1}}).encode()


def signed(secret, body, msg_id="msg_1", timestamp=None) -> dict:
    headers = sign(secret, msg_id=msg_id, timestamp=int(timestamp or time.time()), body=body)
    return {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}


def send(inbox, body, headers=None, client=None, **extra):
    client = client or Client()
    return client.post(
        reverse("inbox_receive", args=[inbox.token]), body, content_type="application/json", **(headers or {}), **extra
    )


def page(user, integration):
    return client_for(user).get(reverse("integration_inbox", args=[integration.slug]))


def reauthenticated(user) -> Client:
    """A session whose person confirmed their password just now, as allauth asks before a reveal."""
    client = client_for(user)
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    return client


def reveal(client, integration):
    return client.post(reverse("integration_inbox_secret", args=[integration.slug]))


def rotate(client, inbox, **extra):
    data = {"rotated_at": inbox.rotated_at.isoformat()}
    return client.post(reverse("integration_inbox_rotate", args=[inbox.integration.slug]), data, **extra)


# --- The page only reads ---------------------------------------------------------------------


def test_opening_the_page_of_an_integration_without_an_inbox_writes_nothing(alice, integration):
    client = client_for(alice)
    with CaptureQueriesContext(connection) as queries:
        content = client.get(reverse("integration_inbox", args=[integration.slug])).content.decode()
    assert not Inbox.objects.exists() and not AuditEvent.objects.exists()
    assert [query["sql"] for query in queries if not query["sql"].lstrip().upper().startswith("SELECT")] == []
    assert "Create the sandbox inbox" in content and "whsec_" not in content


def test_opening_the_page_of_an_integration_with_an_inbox_writes_nothing_and_never_shows_the_secret(
    alice, integration, inbox
):
    client, audit_rows = client_for(alice), AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        content = client.get(reverse("integration_inbox", args=[integration.slug])).content.decode()
    assert [query["sql"] for query in queries if not query["sql"].lstrip().upper().startswith("SELECT")] == []
    assert AuditEvent.objects.count() == audit_rows
    assert inbox.secret not in content and f"…{inbox.secret[-4:]}" in content
    assert "Reveal the signing secret" in content and inbox_snippets.SECRET_PLACEHOLDER in content


def test_the_page_shows_the_absolute_inbox_url_and_the_declared_scopes(alice, integration, inbox, settings):
    settings.SITE_URL = "https://portal.example.com"
    content = page(alice, integration).content.decode()
    assert f"https://portal.example.com/inbox/{inbox.token}/" in content
    assert "customer/created" in content and "product/updated" in content
    assert content.count("Not seen yet") == 2


def test_a_scope_shows_as_seen_after_a_verified_event(alice, integration, inbox):
    assert send(inbox, body_for(), signed(inbox.secret, body_for())).status_code == 202
    content = page(alice, integration).content.decode()
    assert content.count("Not seen yet") == 1 and ">Seen<" in content
    assert "msg_1" in content and "&quot;type&quot;: &quot;customer/created&quot;" in content


def test_a_long_event_body_is_truncated_for_display(alice, integration, inbox):
    long_body = body_for(text="x" * 5000)
    send(inbox, long_body, signed(inbox.secret, long_body))
    content = page(alice, integration).content.decode()
    assert "only its beginning is shown" in content and "x" * 5000 not in content


def test_another_organization_gets_404_and_an_associated_one_sees_the_page(alice, bob, bluebird, integration):
    assert page(bob, integration).status_code == 404
    assign_perm("integrations.work_on_integration", bluebird.get_permission_group(), integration)
    assert page(bob, integration).status_code == 200


def test_an_associated_organization_sees_neither_the_secret_nor_the_owners_buttons(bob, bluebird, integration, inbox):
    assign_perm("integrations.work_on_integration", bluebird.get_permission_group(), integration)
    content = page(bob, integration).content.decode()
    assert inbox.secret not in content
    assert "Reveal the signing secret" not in content and "Rotate the secret" not in content
    assert "Only members of Northwind Integrations" in content


def test_the_page_query_count_does_not_grow_with_events(alice, integration, inbox, django_assert_max_num_queries):
    for n in range(30):
        body = body_for(n=n)
        assert send(inbox, body, signed(inbox.secret, body, msg_id=f"msg_{n}")).status_code == 202
        send(inbox, body, signed(new_secret(), body, msg_id=f"bad_{n}"))
    client = client_for(alice)
    url = reverse("integration_inbox", args=[integration.slug])
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


# --- Creating the inbox ----------------------------------------------------------------------


def test_creating_an_integration_creates_its_inbox(alice, northwind):
    application = ApplicationFactory(is_published=True)
    integration = create_integration(northwind, acting_user=alice, application=application, scopes=["order/created"])
    inbox = Inbox.objects.get(integration=integration)
    assert inbox.secret.startswith("whsec_")
    assert AuditEvent.objects.filter(kind="inbox.created", within_id=integration.pk, actor=alice).count() == 1


def test_the_owner_creates_a_missing_inbox_with_the_button_and_a_double_click_makes_one(alice, integration):
    client = client_for(alice)
    url = reverse("integration_inbox_create", args=[integration.slug])
    first = client.post(url, follow=True)
    assert client.post(url).status_code == 302
    assert Inbox.objects.filter(integration=integration).count() == 1
    assert AuditEvent.objects.filter(kind="inbox.created", within_id=integration.pk).count() == 1
    content = first.content.decode()
    assert "The sandbox inbox is ready" in content and "Reveal the signing secret" in content
    assert Inbox.objects.get(integration=integration).secret not in content


def test_an_associated_organization_cannot_create_the_inbox(bob, bluebird, integration):
    assign_perm("integrations.work_on_integration", bluebird.get_permission_group(), integration)
    assert "Create the sandbox inbox" not in page(bob, integration).content.decode()
    assert client_for(bob).post(reverse("integration_inbox_create", args=[integration.slug])).status_code == 403
    assert not Inbox.objects.exists()


# --- Revealing the secret --------------------------------------------------------------------


def test_revealing_the_secret_asks_for_the_password_first_and_then_shows_it(alice, integration, inbox):
    client = client_for(alice)
    response = reveal(client, integration)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate") + "?next=")
    assert not AuditEvent.objects.filter(kind="inbox.secret_revealed").exists()

    shown = client.post(response["Location"], {"password": PASSWORD})
    assert shown.status_code == 200
    content = shown.content.decode()
    assert content.count(inbox.secret) == 1 + 2 * 2  # the secret itself, and a curl and a Python snippet per scope
    assert "no-store" in shown["Cache-Control"]
    assert AuditEvent.objects.filter(kind="inbox.secret_revealed", actor=alice, within_id=integration.pk).count() == 1


def test_a_wrong_password_reveals_nothing(alice, integration, inbox):
    client = client_for(alice)
    location = reveal(client, integration)["Location"]
    response = client.post(location, {"password": "not-the-password"})
    assert inbox.secret not in response.content.decode()
    assert not AuditEvent.objects.filter(kind="inbox.secret_revealed").exists()


def test_after_re_authentication_each_reveal_shows_the_secret_and_is_recorded(alice, integration, inbox):
    client = reauthenticated(alice)
    for _ in range(2):
        response = reveal(client, integration)
        assert response.status_code == 200 and inbox.secret in response.content.decode()
        assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(kind="inbox.secret_revealed").count() == 2
    assert inbox.secret not in page(alice, integration).content.decode()


def test_a_plain_member_of_the_owner_may_reveal_the_secret(ivy, integration, inbox):
    response = reveal(reauthenticated(ivy), integration)
    assert response.status_code == 200 and inbox.secret in response.content.decode()


def test_another_organization_gets_404_for_the_reveal_without_a_password_prompt(bob, integration, inbox):
    assert reveal(client_for(bob), integration).status_code == 404
    assert reveal(reauthenticated(bob), integration).status_code == 404
    assert not AuditEvent.objects.filter(kind="inbox.secret_revealed").exists()


def test_an_associated_organization_may_not_reveal_the_secret(bob, bluebird, integration, inbox):
    assign_perm("integrations.work_on_integration", bluebird.get_permission_group(), integration)
    response = reveal(reauthenticated(bob), integration)
    assert response.status_code == 403 and inbox.secret not in response.content.decode()


def test_revealing_before_the_inbox_exists_says_to_create_it(alice, integration):
    response = reauthenticated(alice).post(reverse("integration_inbox_secret", args=[integration.slug]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("integration_inbox", args=[integration.slug])
    assert inbox_services.NO_INBOX in response.content.decode()
    assert not Inbox.objects.exists() and not AuditEvent.objects.filter(kind="inbox.secret_revealed").exists()


# --- Rotation --------------------------------------------------------------------------------


def test_rotating_shows_the_new_secret_and_keeps_the_old_one_for_the_grace_period(alice, integration, inbox, settings):
    settings.INBOX_SECRET_GRACE_HOURS = 6
    old = inbox.secret
    client = reauthenticated(alice)
    response = rotate(client, inbox)
    inbox.refresh_from_db()
    assert inbox.secret != old and inbox.previous_secret == old
    assert response.status_code == 200 and inbox.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert inbox.secret not in client.get(reverse("integration_inbox", args=[integration.slug])).content.decode()
    expected = timezone.now() + timedelta(hours=6)
    assert abs((inbox.previous_secret_expires_at - expected).total_seconds()) < 60
    assert AuditEvent.objects.filter(kind="inbox.secret_rotated", actor=alice).exists()
    old_body = body_for()
    assert send(inbox, old_body, signed(old, old_body, msg_id="msg_old")).status_code == 202
    assert send(inbox, old_body, signed(inbox.secret, old_body, msg_id="msg_new")).status_code == 202


def test_rotating_asks_for_the_password_first(alice, integration, inbox):
    client = client_for(alice)
    response = rotate(client, inbox)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert Inbox.objects.get(pk=inbox.pk).secret == inbox.secret
    shown = client.post(response["Location"], {"password": PASSWORD})
    rotated = Inbox.objects.get(pk=inbox.pk)
    assert rotated.previous_secret == inbox.secret and rotated.secret in shown.content.decode()


def test_a_double_click_on_rotate_rotates_once_and_the_sender_keeps_its_grace_period(alice, integration, inbox):
    client = reauthenticated(alice)
    assert rotate(client, inbox).status_code == 200
    second = rotate(client, inbox, follow=True)  # the same page's form, sent again
    rotated = Inbox.objects.get(pk=inbox.pk)
    assert rotated.previous_secret == inbox.secret  # the secret the sender signs with is still accepted
    assert "was not rotated twice" in second.content.decode() and rotated.secret not in second.content.decode()
    assert AuditEvent.objects.filter(kind="inbox.secret_rotated").count() == 1


def test_a_rotation_without_the_pages_field_is_refused_with_a_message(alice, integration, inbox):
    url = reverse("integration_inbox_rotate", args=[integration.slug])
    response = reauthenticated(alice).post(url, {"rotated_at": "yesterday"}, follow=True)
    assert "This page is out of date" in response.content.decode()
    assert Inbox.objects.get(pk=inbox.pk).secret == inbox.secret


def test_the_previous_secret_is_refused_once_the_grace_period_is_over(integration, inbox):
    old = inbox.secret
    Inbox.objects.filter(pk=inbox.pk).update(
        secret=new_secret(), previous_secret=old, previous_secret_expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = send(inbox, body_for(), signed(old, body_for()))
    assert response.status_code == 401 and not InboxEvent.objects.exists()


def test_an_associated_organization_cannot_rotate_the_secret(bob, bluebird, integration, inbox):
    assign_perm("integrations.work_on_integration", bluebird.get_permission_group(), integration)
    response = rotate(reauthenticated(bob), inbox)
    assert response.status_code == 403
    assert Inbox.objects.get(pk=inbox.pk).secret == inbox.secret


# --- Receiving -------------------------------------------------------------------------------


def test_a_verified_event_is_stored_and_marks_its_scope_seen(integration, inbox):
    body = body_for()
    response = send(inbox, body, signed(inbox.secret, body, msg_id="msg_abc"))
    assert response.status_code == 202
    assert response.json() == {"status": "verified", "scope": "customer/created"}
    event = InboxEvent.objects.get()
    assert (event.webhook_id, event.scope, event.body["data"]) == ("msg_abc", "customer/created", {"id": 1})
    assert abs((timezone.now() - event.sent_at).total_seconds()) < 5
    assert WebhookScope.objects.get(name="customer/created").is_seen
    assert not WebhookScope.objects.get(name="product/updated").is_seen
    assert AuditEvent.objects.filter(kind="inbox.event_verified", to_state="customer/created").exists()
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_the_first_seen_time_of_a_scope_does_not_move(integration, inbox):
    send(inbox, body_for(), signed(inbox.secret, body_for(), msg_id="msg_1"))
    first = WebhookScope.objects.get(name="customer/created").first_seen_at
    send(inbox, body_for(), signed(inbox.secret, body_for(), msg_id="msg_2"))
    assert WebhookScope.objects.get(name="customer/created").first_seen_at == first


def test_a_verified_event_establishes_the_connection_and_the_tier_is_recomputed(northwind, bluebird):
    integration, version = compatible_integration(owner=northwind)
    integration.owner.is_integrator = False
    integration.owner.save(update_fields=["is_integrator"])
    accepted_association(integration, bluebird)
    version.ready_designated_at = timezone.now()
    version.save(update_fields=["ready_designated_at"])
    tiers.recompute(integration, cause="setup")
    integration.refresh_from_db()
    assert integration.tier == Tier.COMPATIBLE
    inbox = inbox_services.create_inbox(integration, acting_user=None)
    assert send(inbox, body_for(), signed(inbox.secret, body_for())).status_code == 202
    integration.refresh_from_db()
    assert integration.tier == Tier.READY
    assert integration.tier_changes.first().cause == "Verified test event received"


def test_only_the_newest_events_are_kept(integration, inbox, monkeypatch):
    monkeypatch.setattr(inbox_services, "EVENTS_KEPT", 3)
    for n in range(5):
        assert send(inbox, body_for(n=n), signed(inbox.secret, body_for(n=n), msg_id=f"msg_{n}")).status_code == 202
    assert sorted(InboxEvent.objects.values_list("webhook_id", flat=True)) == ["msg_2", "msg_3", "msg_4"]


def _without(headers, name):
    return {key: value for key, value in headers.items() if key != name}


REFUSALS = [
    # (what, how to change the signed request, status, reason)
    ("no headers", lambda s, b: ({}, b), 400, "missing"),
    ("no signature", lambda s, b: (_without(signed(s, b), "HTTP_WEBHOOK_SIGNATURE"), b), 400, "missing"),
    ("bad signature", lambda s, b: ({**signed(s, b), "HTTP_WEBHOOK_SIGNATURE": "v1,AAAA"}, b), 401, "does not match"),
    ("another secret", lambda s, b: (signed(new_secret(), b), b), 401, "does not match"),
    ("body changed", lambda s, b: (signed(s, b), b + b" "), 401, "does not match"),
    ("old timestamp", lambda s, b: (signed(s, b, timestamp=time.time() - 301), b), 400, "5 minutes"),
    ("not JSON", lambda s, b: (signed(s, b"hello"), b"hello"), 400, "not JSON"),
    ("no type", lambda s, b: (signed(s, b"[1, 2]"), b"[1, 2]"), 400, '"type"'),
    ("undeclared scope", lambda s, b: (signed(s, body_for("order/created")), body_for("order/created")), 422, "scope"),
    ("long id", lambda s, b: (signed(s, b, msg_id="m" * 201), b), 400, "webhook-id longer"),
]


@pytest.mark.parametrize("what, change, status, reason", REFUSALS, ids=[row[0] for row in REFUSALS])
def test_a_refused_request_gets_a_short_json_reason_and_stores_nothing(
    integration, inbox, what, change, status, reason
):
    headers, body = change(inbox.secret, body_for())
    response = send(inbox, body, headers)
    assert response.status_code == status
    assert reason in response.json()["error"]
    assert not InboxEvent.objects.exists()
    assert not WebhookScope.objects.filter(first_seen_at__isnull=False).exists()


def test_a_replayed_webhook_id_is_refused(integration, inbox):
    body = body_for()
    headers = signed(inbox.secret, body, msg_id="msg_once")
    assert send(inbox, body, headers).status_code == 202
    response = send(inbox, body, headers)
    assert response.status_code == 409 and response.json() == {"error": "webhook-id already received"}
    assert InboxEvent.objects.count() == 1


def test_a_replay_racing_the_first_request_is_refused_by_the_constraint(integration, inbox, monkeypatch):
    """The other request stores the same webhook-id between this one's check and its insert."""
    real_store = inbox_services._store

    def racing_store(inbox_, scope, **fields):
        InboxEvent.objects.create(
            integration=integration, scope=scope.name, body={}, sent_at=timezone.now(), webhook_id=fields["webhook_id"]
        )
        return real_store(inbox_, scope, **fields)

    monkeypatch.setattr(inbox_services, "_store", racing_store)
    response = send(inbox, body_for(), signed(inbox.secret, body_for(), msg_id="msg_race"))
    assert response.status_code == 409
    assert InboxEvent.objects.count() == 1


def test_an_oversized_body_is_refused_from_its_content_length_before_reading(integration, inbox):
    body = body_for(text="x" * MAX_BODY_BYTES)
    response = send(inbox, body, signed(inbox.secret, body))
    assert response.status_code == 413 and "256 KB" in response.json()["error"]
    assert not InboxEvent.objects.exists()


def test_a_body_longer_than_its_content_length_claims_is_still_capped(integration, inbox, rf):
    """The server's stream delivers more than the header announced: the bytes read are checked too."""
    from integrations.inbox.views import inbox_receive

    body = body_for(text="x" * MAX_BODY_BYTES)
    request = rf.post("/", body, content_type="application/json", **signed(inbox.secret, body))
    request.META["CONTENT_LENGTH"] = "10"
    response = inbox_receive(request, inbox.token)
    assert response.status_code == 413 and not InboxEvent.objects.exists()
    request = rf.post("/", body, content_type="application/json", **signed(inbox.secret, body))
    request.META["CONTENT_LENGTH"] = "not a number"
    assert inbox_receive(request, inbox.token).status_code == 400


def test_an_unknown_inbox_answers_404_json(db):
    response = Client().post("/inbox/00000000-0000-4000-8000-000000000000/", b"{}", content_type="application/json")
    assert response.status_code == 404 and response.json() == {"error": "no such inbox"}


def test_get_answers_405_json(inbox):
    response = Client().get(reverse("inbox_receive", args=[inbox.token]))
    assert response.status_code == 405 and response["Allow"] == "POST" and "error" in response.json()


def test_more_requests_than_the_rate_limit_get_429_with_retry_after(integration, inbox, monkeypatch):
    monkeypatch.setattr(inbox_services, "RATE_LIMIT_PER_MINUTE", 2)
    for n in range(2):
        assert send(inbox, body_for(), signed(inbox.secret, body_for(), msg_id=f"msg_{n}")).status_code == 202
    response = send(inbox, body_for(), signed(inbox.secret, body_for(), msg_id="msg_3"))
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60
    assert InboxEvent.objects.count() == 2


def test_the_rate_limit_is_per_integration(northwind, integration, inbox, monkeypatch):
    monkeypatch.setattr(inbox_services, "RATE_LIMIT_PER_MINUTE", 1)
    other = IntegrationFactory(owner=northwind)
    WebhookScope.objects.create(integration=other, name="customer/created")
    other_inbox = inbox_services.create_inbox(other, acting_user=None)
    assert send(inbox, body_for(), signed(inbox.secret, body_for())).status_code == 202
    assert send(other_inbox, body_for(), signed(other_inbox.secret, body_for())).status_code == 202


FUZZ = [
    {"HTTP_WEBHOOK_ID": "", "HTTP_WEBHOOK_TIMESTAMP": "", "HTTP_WEBHOOK_SIGNATURE": ""},
    {"HTTP_WEBHOOK_ID": "x", "HTTP_WEBHOOK_TIMESTAMP": "-1", "HTTP_WEBHOOK_SIGNATURE": "v1,"},
    {"HTTP_WEBHOOK_ID": "x", "HTTP_WEBHOOK_TIMESTAMP": "99999999999999999999999", "HTTP_WEBHOOK_SIGNATURE": "v1,a"},
    {"HTTP_WEBHOOK_ID": "x", "HTTP_WEBHOOK_TIMESTAMP": "nan", "HTTP_WEBHOOK_SIGNATURE": "v1,a"},
    {"HTTP_WEBHOOK_ID": "x", "HTTP_WEBHOOK_TIMESTAMP": "{now}", "HTTP_WEBHOOK_SIGNATURE": "v2,abc v1 ,,,"},
    {"HTTP_WEBHOOK_ID": "x" * 5000, "HTTP_WEBHOOK_TIMESTAMP": "{now}", "HTTP_WEBHOOK_SIGNATURE": "v1,%%%"},
    {"HTTP_WEBHOOK_ID": "\u00e9\u0000", "HTTP_WEBHOOK_TIMESTAMP": " {now} ", "HTTP_WEBHOOK_SIGNATURE": "v1,===="},
]
FUZZ_BODIES = [b"", b"\x00\xff\xfe", b"{", b'{"type": null}', b'{"type": "customer/created"', b"[]" * 1000]


@pytest.mark.parametrize("headers", FUZZ)
def test_malformed_headers_and_bodies_never_answer_500(integration, inbox, headers):
    now = str(int(time.time()))
    headers = {key: value.replace("{now}", now) for key, value in headers.items()}
    for body in FUZZ_BODIES:
        response = send(inbox, body, headers)
        assert 400 <= response.status_code < 500, (headers, body, response.status_code)
        assert "error" in response.json()
    garbage = b"\x00\xff\xfe"  # correctly signed, but not text: the library cannot even sign it
    key = base64.b64decode(inbox.secret.removeprefix("whsec_"))
    digest = hmac.new(key, b"msg_x." + now.encode() + b"." + garbage, hashlib.sha256).digest()
    headers = {
        "HTTP_WEBHOOK_ID": "msg_x",
        "HTTP_WEBHOOK_TIMESTAMP": now,
        "HTTP_WEBHOOK_SIGNATURE": "v1," + base64.b64encode(digest).decode(),
    }
    assert 400 <= send(inbox, garbage, headers).status_code < 500
    assert not InboxEvent.objects.exists()


# --- The snippets really send a verified event ------------------------------------------------


@pytest.fixture
def live_inbox(live_server, settings, northwind):
    settings.SITE_URL = live_server.url
    integration = IntegrationFactory(owner=northwind)
    WebhookScope.objects.create(integration=integration, name="customer/created")
    inbox = inbox_services.create_inbox(integration, acting_user=None)
    return inbox, live_server.url + reverse("inbox_receive", args=[inbox.token])


def test_the_curl_snippet_sends_a_verified_event(live_inbox):
    inbox, url = live_inbox
    snippet = inbox_snippets.curl_snippet(url, "customer/created", inbox.secret)
    bash = shutil.which("bash")
    result = subprocess.run([bash, "-c", snippet], capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    assert json.loads(result.stdout) == {"status": "verified", "scope": "customer/created"}, result.stderr
    assert InboxEvent.objects.filter(integration=inbox.integration, scope="customer/created").exists()


def test_the_python_snippet_sends_a_verified_event(live_inbox):
    inbox, url = live_inbox
    snippet = inbox_snippets.python_snippet(url, "customer/created", inbox.secret)
    command = [sys.executable, "-c", snippet]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    assert result.stdout.startswith("202 "), result.stderr
    assert InboxEvent.objects.filter(integration=inbox.integration, scope="customer/created").exists()


def test_the_page_shows_the_snippets_with_the_placeholder_and_a_reveal_fills_them_in(alice, integration, inbox):
    content = page(alice, integration).content.decode()
    assert inbox_snippets.SECRET_PLACEHOLDER in content and "openssl dgst -sha256 -mac HMAC" in content
    revealed = reveal(reauthenticated(alice), integration).content.decode()
    assert revealed.count(inbox.secret) == 1 + 2 * 2 and inbox_snippets.SECRET_PLACEHOLDER not in revealed
