"""Standard Webhooks (https://www.standardwebhooks.com/) for the sandbox inbox.

The third-party system proves its connection by POSTing a signed test event. We verify the raw
body before parsing anything, with the `standardwebhooks` package (HMAC-SHA256 over
"id.timestamp.body", constant-time comparison, 5-minute timestamp tolerance), against the
current secret and, during a rotation's grace period, the previous one.
"""

import base64
import binascii
import json
import secrets
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

MAX_BODY_BYTES = 256 * 1024
SECRET_PREFIX = "whsec_"  # noqa: S105 - the scheme's prefix, not a secret


class InboxRefused(Exception):
    """The request is not a verified event; `reason` is the short JSON reason sent back."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The headers a sender adds: what the page's snippets do, and what tests send."""
    signature = Webhook(secret).sign(msg_id, datetime.fromtimestamp(timestamp, tz=UTC), body.decode())
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp), "webhook-signature": signature}


def verify(body: bytes, headers: Mapping[str, str], secrets_to_try: Iterable[str]) -> None:
    """Raises InboxRefused unless one of the secrets signed exactly this body and these headers."""
    if len(body) > MAX_BODY_BYTES:
        raise InboxRefused(413, f"body larger than {MAX_BODY_BYTES // 1024} KB")
    lowered = {key.lower(): value for key, value in headers.items()}
    if not all(lowered.get(name) for name in ("webhook-id", "webhook-timestamp", "webhook-signature")):
        raise InboxRefused(400, "missing webhook-id, webhook-timestamp or webhook-signature header")
    _check_timestamp(lowered["webhook-timestamp"])
    for secret in secrets_to_try:
        try:
            Webhook(secret).verify(body, lowered, json_parse=False)
            return
        except WebhookVerificationError:
            continue
        except (ValueError, UnicodeDecodeError, binascii.Error, OverflowError) as exc:
            # A malformed signature header or a body that is not text: not a verified event.
            raise InboxRefused(400, "malformed signature header or body") from exc
    raise InboxRefused(401, "signature does not match")


def _check_timestamp(value: str) -> None:
    """The library checks this too; doing it first gives the sender a precise reason."""
    try:
        sent = int(value)
    except ValueError as exc:
        raise InboxRefused(400, "webhook-timestamp must be whole seconds since the epoch") from exc
    if abs(time.time() - sent) > 300:
        raise InboxRefused(400, "webhook-timestamp is more than 5 minutes from now")


def parse_event(body: bytes) -> dict:
    """A verified body must be a JSON object naming its webhook scope in "type"."""
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InboxRefused(400, "body is not JSON") from exc
    if not isinstance(event, dict) or not isinstance(event.get("type"), str) or not event["type"]:
        raise InboxRefused(400, 'body must be a JSON object with a "type" naming the webhook scope')
    return event
