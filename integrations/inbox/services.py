"""The sandbox inbox: its secret (created, rotated) and the verified test events it receives.

The third-party system POSTs a Standard Webhooks-signed event for one of the integration's
declared webhook scopes; a verified event proves the connection and marks the scope seen, which
the tier rules read (connection_established), so storing one ends with a tier recomputation.
"""

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.inbox import webhooks
from integrations.inbox.webhooks import InboxRefused
from integrations.models import Inbox, InboxEvent, Integration, WebhookScope
from integrations.tiers import engine as tiers
from portal.services import record

EVENTS_KEPT = 100
RATE_LIMIT_PER_MINUTE = 60
MAX_WEBHOOK_ID_LENGTH = 200  # InboxEvent.webhook_id
SEEN_ID_SECONDS = 600  # twice the timestamp tolerance: a replay after pruning is still refused


class RateLimited(InboxRefused):
    def __init__(self, retry_after: int):
        super().__init__(429, f"more than {RATE_LIMIT_PER_MINUTE} requests a minute; retry later")
        self.retry_after = retry_after


@dataclass(frozen=True)
class OpenedInbox:
    inbox: Inbox
    new_secret: str | None  # set only when this call created the inbox: the one time it is shown


def open_inbox(integration: Integration, *, acting_user) -> OpenedInbox:
    """The integration's inbox, created (with its secret) the first time anyone needs it."""
    existing = Inbox.objects.filter(integration=integration).first()
    if existing:
        return OpenedInbox(existing, None)
    try:
        with transaction.atomic():
            Integration.objects.select_for_update().filter(pk=integration.pk).first()
            if existing := Inbox.objects.filter(integration=integration).first():
                return OpenedInbox(existing, None)
            inbox = Inbox.objects.create(integration=integration, secret=webhooks.new_secret())
            record(
                actor=acting_user,
                action="inbox.created",
                organization=integration.owner,
                target=integration.name,
            )
    except IntegrityError:  # another request created it first (SQLite has no row locks)
        return OpenedInbox(Inbox.objects.get(integration=integration), None)
    return OpenedInbox(inbox, inbox.secret)


def rotate_inbox_secret(integration: Integration, *, acting_user) -> str:
    """A new secret; the previous one stays accepted for INBOX_SECRET_GRACE_HOURS. Returns the
    new secret, which the caller shows once."""
    opened = open_inbox(integration, acting_user=acting_user)
    with transaction.atomic():
        inbox = Inbox.objects.select_for_update().get(pk=opened.inbox.pk)
        now = timezone.now()
        grace = timedelta(hours=settings.INBOX_SECRET_GRACE_HOURS)
        inbox.previous_secret = inbox.secret
        inbox.previous_secret_expires_at = now + grace
        inbox.secret = webhooks.new_secret()
        inbox.rotated_at = now
        inbox.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "rotated_at"])
        record(
            actor=acting_user,
            action="inbox.secret_rotated",
            organization=integration.owner,
            target=integration.name,
            comment=f"The previous secret is accepted until {inbox.previous_secret_expires_at:%Y-%m-%d %H:%M} UTC.",
        )
    return inbox.secret


def check_rate_limit(inbox: Inbox) -> None:
    """Counts every request to the inbox, refused or not, in fixed one-minute windows."""
    now = time.time()
    key = f"inbox-rate:{inbox.pk}:{int(now // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > RATE_LIMIT_PER_MINUTE:
        raise RateLimited(retry_after=60 - int(now) % 60)


def _seen_key(inbox: Inbox, webhook_id: str) -> str:
    return f"inbox-seen:{inbox.pk}:{webhook_id}"


def receive_test_event(inbox: Inbox, body: bytes, headers: Mapping[str, str]) -> InboxEvent:
    """Verifies the raw body, then parses it; stores the event only if every check passes.

    Raises InboxRefused (with the status and short reason to answer) otherwise."""
    webhooks.verify(body, headers, inbox.secrets_in_force())
    event = webhooks.parse_event(body)
    lowered = {key.lower(): value for key, value in headers.items()}
    webhook_id, timestamp = lowered["webhook-id"], int(lowered["webhook-timestamp"])
    if len(webhook_id) > MAX_WEBHOOK_ID_LENGTH:
        raise InboxRefused(400, f"webhook-id longer than {MAX_WEBHOOK_ID_LENGTH} characters")
    integration = inbox.integration
    scope = integration.scopes.filter(name__iexact=event["type"]).first()
    if scope is None:
        raise InboxRefused(422, "scope not declared")
    if cache.get(_seen_key(inbox, webhook_id)) or integration.inbox_events.filter(webhook_id=webhook_id).exists():
        raise InboxRefused(409, "webhook-id already received")
    try:
        sent_at = datetime.fromtimestamp(timestamp, tz=UTC)
        return _store(inbox, scope, webhook_id=webhook_id, sent_at=sent_at, body=event)
    except IntegrityError as exc:  # the same webhook-id stored by a request running at the same time
        raise InboxRefused(409, "webhook-id already received") from exc


def _store(inbox: Inbox, scope, *, webhook_id: str, sent_at: datetime, body: dict) -> InboxEvent:
    integration = inbox.integration
    with transaction.atomic():
        stored = InboxEvent.objects.create(
            integration=integration, webhook_id=webhook_id, scope=scope.name, body=body, sent_at=sent_at
        )
        newest_first = integration.inbox_events.order_by("-received_at", "-id").values_list("pk", flat=True)
        stale = list(newest_first[EVENTS_KEPT:])
        if stale:
            InboxEvent.objects.filter(pk__in=stale).delete()
        first_seen = WebhookScope.objects.filter(pk=scope.pk, first_seen_at__isnull=True).update(
            first_seen_at=stored.received_at
        )
        record(
            actor=None,
            action="inbox.event_verified",
            organization=integration.owner,
            target=integration.name,
            to_state=scope.name,
            comment=f"webhook-id {webhook_id}" + ("; first event for this scope" if first_seen else ""),
        )
        tiers.recompute(integration, cause="Verified test event received")
        transaction.on_commit(lambda: cache.set(_seen_key(inbox, webhook_id), 1, timeout=SEEN_ID_SECONDS))
    return stored
