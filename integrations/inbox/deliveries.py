"""Every request to a sandbox inbox, verified or refused, kept so the integrator can see what
arrived and why it was refused.

The inbox URL takes requests from anyone who knows it, so what a refused request can make the
portal store is bounded three ways (README, "The sandbox inbox"):

- size: at most STORED_BODY_BYTES of the body and STORED_HEADER_BYTES of headers per delivery
  (credentials and cookies are never stored);
- rate: at most REFUSED_STORED_PER_MINUTE refused deliveries stored per inbox and minute; the
  requests beyond it are answered as usual and not stored;
- count and age: at most REFUSED_KEPT refused deliveries per integration (the oldest go first),
  each for at most REFUSED_KEPT_DAYS (a daily beat task, prune_refused_deliveries).

Together that is at most REFUSED_KEPT * (4 KB + 8 KB), about 6 MB, per integration, whatever a
caller sends and even while the cache that counts the rate is down. Verified deliveries need
the signing secret; they are kept with their event (the newest EVENTS_KEPT).
"""

import json
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from integrations.inbox.models import Inbox, InboxDelivery, InboxEvent
from integrations.inbox.webhooks import InboxRefused

STORED_BODY_BYTES = 4 * 1024
STORED_HEADER_BYTES = 8 * 1024
STORED_HEADER_VALUE_CHARS = 1000
REFUSED_STORED_PER_MINUTE = 10
REFUSED_KEPT = 500
REFUSED_KEPT_DAYS = 7
DELIVERIES_PER_PAGE = 20
# Sent with every request by browsers or proxies, never needed to understand a webhook, and
# credentials for something else when present.
WITHHELD_HEADERS = {"authorization", "cookie", "proxy-authorization", "x-csrftoken"}
WITHHELD = "(not stored)"


def _storable(text: object, limit: int) -> str:
    # PostgreSQL stores no NUL character, in text or in JSON; a caller may send one anyway.
    return str(text)[:limit].replace("\x00", "\ufffd")


def stored_headers(headers: Mapping[str, str]) -> list[list[str]]:
    """The request's headers as [name, value] pairs, within STORED_HEADER_BYTES."""
    pairs, used = [], 0
    for name, value in headers.items():
        name = _storable(name, 100)
        value = WITHHELD if name.lower() in WITHHELD_HEADERS else _storable(value, STORED_HEADER_VALUE_CHARS)
        used += len(name) + len(value)
        if used > STORED_HEADER_BYTES:
            pairs.append(["…", "more headers, not stored"])
            break
        pairs.append([name, value])
    return pairs


def _body_fields(body: bytes, size: int) -> dict:
    kept = body[:STORED_BODY_BYTES]
    return {
        # A cut may split a character: decoding replaces the broken end, and never fails.
        "body": _storable(kept.decode("utf-8", errors="replace"), STORED_BODY_BYTES),
        "body_size": max(size, len(body)),
        "body_truncated": max(size, len(body)) > len(kept),
    }


def _webhook_id(headers: Mapping[str, str]) -> str:
    return _storable(headers.get("webhook-id") or "", 200)


def _claimed_scope(body: bytes) -> str:
    """The "type" a refused body names, when it is JSON that names one."""
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return ""
    claimed = event.get("type") if isinstance(event, dict) else None
    return _storable(claimed, 120) if isinstance(claimed, str) else ""


def record_verified(inbox: Inbox, event: InboxEvent, *, headers: Mapping[str, str], body: bytes) -> InboxDelivery:
    """Called inside the transaction that stores the event."""
    return InboxDelivery.objects.create(
        integration_id=inbox.integration_id,
        received_at=event.received_at,
        status_code=202,
        detail="verified",
        webhook_id=event.webhook_id,
        scope=event.scope,
        headers=stored_headers(headers),
        event=event,
        **_body_fields(body, len(body)),
    )


def record_refusal(
    inbox: Inbox, refused: InboxRefused, *, headers: Mapping[str, str], body: bytes, size: int = 0
) -> InboxDelivery | None:
    """Store a refused delivery, unless this inbox already stored its share this minute.
    `size` is the body's announced length when it was not read (too large, rate limited)."""
    if not _may_store_refusal(inbox):
        return None
    with transaction.atomic():
        delivery = InboxDelivery.objects.create(
            integration_id=inbox.integration_id,
            status_code=refused.status,
            refusal_reason=refused.code,
            detail=_storable(refused.reason, 200),
            webhook_id=_webhook_id(headers),
            scope=_claimed_scope(body),
            headers=stored_headers(headers),
            **_body_fields(body, size),
        )
        refused_newest_first = InboxDelivery.objects.filter(integration_id=inbox.integration_id).exclude(
            refusal_reason=""
        )
        beyond = list(refused_newest_first.order_by("-received_at", "-id").values_list("pk", flat=True)[REFUSED_KEPT:])
        if beyond:
            InboxDelivery.objects.filter(pk__in=beyond).delete()
    return delivery


def _may_store_refusal(inbox: Inbox) -> bool:
    """At most REFUSED_STORED_PER_MINUTE per inbox in fixed one-minute windows. With the cache
    down this answers yes: REFUSED_KEPT still bounds what is stored."""
    key = f"inbox-stored-refusals:{inbox.pk}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr, or the cache is away
        count = 1
    return count <= REFUSED_STORED_PER_MINUTE


def prune_refused_deliveries(now: datetime | None = None) -> int:
    """Delete refused deliveries older than REFUSED_KEPT_DAYS; the number deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=REFUSED_KEPT_DAYS)
    deleted, _ = InboxDelivery.objects.exclude(refusal_reason="").filter(received_at__lt=cutoff).delete()
    return deleted
