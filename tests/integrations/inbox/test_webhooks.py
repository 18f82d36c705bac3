import base64
import json
import time

import pytest

from integrations.inbox.webhooks import MAX_BODY_BYTES, InboxRefused, new_secret, parse_event, sign, verify

BODY = json.dumps({"type": "customer/created", "data": {"id": 1}}).encode()


def _headers(secret, body=BODY, msg_id="msg_1", timestamp=None):
    return sign(secret, msg_id=msg_id, timestamp=int(timestamp or time.time()), body=body)


def test_a_correctly_signed_event_verifies():
    secret = new_secret()
    verify(BODY, _headers(secret), [secret])


def test_the_previous_secret_still_verifies_during_a_rotation_grace_period():
    old, new = new_secret(), new_secret()
    verify(BODY, _headers(old), [new, old])


@pytest.mark.parametrize(
    "mutate, status, reason",
    [
        (lambda h, b: ({**h, "webhook-signature": "v1,AAAA"}, b), 401, "signature does not match"),
        (lambda h, b: (h, b + b" "), 401, "signature does not match"),
        (lambda h, b: ({**h, "webhook-id": "msg_other"}, b), 401, "signature does not match"),
        (lambda h, b: ({k: v for k, v in h.items() if k != "webhook-signature"}, b), 400, "missing"),
        (lambda h, b: ({**h, "webhook-timestamp": "yesterday"}, b), 400, "whole seconds"),
        (lambda h, b: ({**h, "webhook-timestamp": str(int(time.time()) - 301)}, b), 400, "5 minutes"),
        (lambda h, b: ({**h, "webhook-timestamp": "1e400"}, b), 400, "whole seconds"),
        (lambda h, b: ({**h, "webhook-signature": "no-comma-here"}, b), 400, "malformed"),
        (lambda h, b: ({**h, "webhook-signature": "v1,***not base64***"}, b), 400, "malformed"),
        (lambda h, b: (h, b"\xff\xfe" + b), 400, "not UTF-8"),
    ],
)
def test_a_bad_request_is_refused_with_a_short_reason(mutate, status, reason):
    secret = new_secret()
    headers, body = mutate(_headers(secret), BODY)
    with pytest.raises(InboxRefused) as refused:
        verify(body, headers, [secret])
    assert refused.value.status == status and reason in refused.value.reason


def test_a_signature_made_with_another_secret_is_refused():
    with pytest.raises(InboxRefused) as refused:
        verify(BODY, _headers(new_secret()), [new_secret()])
    assert refused.value.status == 401


def test_an_oversized_body_is_refused_before_any_work():
    body = b"x" * (MAX_BODY_BYTES + 1)
    with pytest.raises(InboxRefused) as refused:
        verify(body, {}, [new_secret()])
    assert refused.value.status == 413


def test_signatures_follow_the_standard_webhooks_scheme():
    """HMAC-SHA256 over "id.timestamp.body", base64, "v1," prefix: what off-the-shelf libraries send."""
    import hashlib
    import hmac

    secret = new_secret()
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, b"msg_1.1700000000." + BODY, hashlib.sha256).digest()).decode()
    assert sign(secret, msg_id="msg_1", timestamp=1700000000, body=BODY)["webhook-signature"] == f"v1,{expected}"


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"data": 1}', b'{"type": ""}', b'{"type": 5}'])
def test_a_verified_body_must_be_a_json_object_naming_its_scope(body):
    with pytest.raises(InboxRefused):
        parse_event(body)


def test_a_good_body_parses():
    assert parse_event(BODY)["type"] == "customer/created"


@pytest.mark.parametrize(
    "before",
    ["no-comma-here", "v1,***not base64***", "v1,", "v2,AAAA", "v1,AAAA", ",,,"],
)
def test_any_readable_signature_that_verifies_is_enough_whatever_comes_before_it(before):
    secret = new_secret()
    headers = _headers(secret)

    verify(BODY, {**headers, "webhook-signature": f"{before} {headers['webhook-signature']}"}, [secret])


def test_a_header_of_only_unreadable_entries_is_refused_as_a_bad_signature():
    secret = new_secret()
    with pytest.raises(InboxRefused) as refused:
        verify(BODY, {**_headers(secret), "webhook-signature": "no-comma v1,%%% v2,abc"}, [secret])
    assert (refused.value.status, refused.value.code) == (400, "bad_signature")
