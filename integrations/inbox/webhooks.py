"""Standard Webhooks (https://www.standardwebhooks.com/) for the sandbox inbox.

The third-party system proves its connection by POSTing a signed test event. We verify the raw
body before parsing anything: the `standardwebhooks` package computes the signature (HMAC-SHA256
over "id.timestamp.body"), compared in constant time with each signature the request offers,
within a 5-minute timestamp tolerance, against the current secret and, during a rotation's grace
period, the previous one.

The `webhook-signature` header lists signatures separated by spaces ("v1,<base64> v1,<base64>"),
so a sender can sign with an old and a new secret at once. The package's own verify() gives up
on the first entry it cannot read; here an unreadable entry, like an entry of another version,
is skipped, and the request is accepted when any entry verifies.
"""

import base64
import binascii
import hmac
import json
import secrets
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

from integrations.inbox.models import RefusalReason

MAX_BODY_BYTES = 256 * 1024
SECRET_PREFIX = "whsec_"  # noqa: S105 - the scheme's prefix, not a secret


class InboxRefused(Exception):
    """The request is not a verified event; `reason` is the short JSON reason sent back and
    `code` the kind of refusal the inbox page lists it under."""

    def __init__(self, status: int, reason: str, code: str = RefusalReason.MALFORMED):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.code = code


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The headers a sender adds: what the page's snippets do, and what tests send."""
    signature = Webhook(secret).sign(msg_id, datetime.fromtimestamp(timestamp, tz=UTC), body.decode())
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp), "webhook-signature": signature}


def verify(body: bytes, headers: Mapping[str, str], secrets_to_try: Iterable[str]) -> None:
    """Raises InboxRefused unless one of the secrets signed exactly this body and these headers."""
    if len(body) > MAX_BODY_BYTES:
        raise InboxRefused(413, f"body larger than {MAX_BODY_BYTES // 1024} KB", RefusalReason.TOO_LARGE)
    lowered = {key.lower(): value for key, value in headers.items()}
    if not all(lowered.get(name) for name in ("webhook-id", "webhook-timestamp", "webhook-signature")):
        raise InboxRefused(
            400, "missing webhook-id, webhook-timestamp or webhook-signature header", RefusalReason.MISSING_HEADERS
        )
    sent = _check_timestamp(lowered["webhook-timestamp"])
    offered = offered_signatures(lowered["webhook-signature"])
    if not offered:
        raise InboxRefused(
            400, "malformed signature header: no v1 signature could be read", RefusalReason.BAD_SIGNATURE
        )
    try:
        text = body.decode()
    except UnicodeDecodeError as exc:
        raise InboxRefused(400, "body is not UTF-8 text", RefusalReason.NOT_JSON) from exc
    for secret in secrets_to_try:
        expected = _signature(secret, lowered["webhook-id"], sent, text)
        # Every entry is compared, whatever the outcome, so the time taken says nothing.
        if sum(hmac.compare_digest(expected, candidate) for candidate in offered):
            return
    raise InboxRefused(401, "signature does not match", RefusalReason.BAD_SIGNATURE)


def offered_signatures(header: str) -> list[bytes]:
    """The readable v1 signatures of a webhook-signature header, in its order; entries of other
    versions (as the scheme asks) and entries that cannot be read are skipped."""
    found = []
    for entry in header.split(" "):
        version, comma, encoded = entry.partition(",")
        if version != "v1" or not comma or not encoded:
            continue
        try:
            found.append(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            continue
    return found


def _signature(secret: str, msg_id: str, sent: int, text: str) -> bytes:
    signed = Webhook(secret).sign(msg_id, datetime.fromtimestamp(sent, tz=UTC), text)
    return base64.b64decode(signed.partition(",")[2])


def _check_timestamp(value: str) -> int:
    """Whole seconds since the epoch, within 5 minutes of now (the scheme's tolerance)."""
    try:
        sent = int(value)
    except ValueError as exc:
        raise InboxRefused(400, "webhook-timestamp must be whole seconds since the epoch") from exc
    if abs(time.time() - sent) > 300:
        raise InboxRefused(400, "webhook-timestamp is more than 5 minutes from now", RefusalReason.TOO_OLD)
    return sent


def parse_event(body: bytes) -> dict:
    """A verified body must be a JSON object naming its webhook scope in "type"."""
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InboxRefused(400, "body is not JSON", RefusalReason.NOT_JSON) from exc
    if not isinstance(event, dict) or not isinstance(event.get("type"), str) or not event["type"]:
        raise InboxRefused(
            400, 'body must be a JSON object with a "type" naming the webhook scope', RefusalReason.NOT_JSON
        )
    return event
