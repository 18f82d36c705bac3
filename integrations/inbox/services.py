"""The sandbox inbox: its secret (created, revealed, rotated) and the verified test events it receives.

The third-party system POSTs a Standard Webhooks-signed event for one of the integration's
declared webhook scopes; a verified event proves the connection and marks the scope seen, which
the tier rules read (connection_established), so storing one ends with a tier recomputation.
"""

import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from integrations.inbox import deliveries, webhooks
from integrations.inbox.webhooks import InboxRefused
from integrations.models import Inbox, InboxEvent, Integration, RefusalReason, WebhookScope
from integrations.tiers import engine as tiers
from portal.services import ActionRefused, record

EVENTS_KEPT = 100
RATE_LIMIT_PER_MINUTE = 60
MAX_WEBHOOK_ID_LENGTH = 200  # InboxEvent.webhook_id
SEEN_ID_SECONDS = 600  # twice the timestamp tolerance: a replay after pruning is still refused

NO_INBOX = "This integration has no sandbox inbox yet. Create it first."
ALREADY_ROTATED = (
    "The signing secret was rotated again since this page was shown, so it was not rotated twice. "
    "Reveal the secret to see the current one."
)


class RateLimited(InboxRefused):
    def __init__(self, retry_after: int):
        super().__init__(
            429, f"more than {RATE_LIMIT_PER_MINUTE} requests a minute; retry later", RefusalReason.RATE_LIMITED
        )
        self.retry_after = retry_after


def create_inbox(integration: Integration, *, acting_user) -> Inbox:
    """The integration's sandbox inbox, with a new signing secret. An integration that already has
    one keeps it: a double click, or two requests at once, make one inbox and one audit row."""
    if existing := Inbox.objects.filter(integration=integration).first():
        return existing
    try:
        with transaction.atomic():
            Integration.objects.lock(integration)
            if existing := Inbox.objects.filter(integration=integration).first():
                return existing
            inbox = Inbox.objects.create(integration=integration, secret=webhooks.new_secret())
            record(
                actor=acting_user,
                kind="inbox.created",
                organization=integration.owner,
                target=inbox,
                within=integration,
            )
    except IntegrityError:  # another request created it first (SQLite has no row locks)
        return Inbox.objects.get(integration=integration)
    return inbox


def _inbox_of(integration: Integration) -> Inbox:
    inbox = Inbox.objects.filter(integration=integration).first()
    if inbox is None:
        raise ActionRefused(NO_INBOX)
    return inbox


def reveal_inbox_secret(integration: Integration, *, acting_user) -> str:
    """The current signing secret, for a person the caller has checked (the owner's member, just
    re-authenticated). Every reveal is recorded: who has seen the secret is part of its history."""
    inbox = _inbox_of(integration)
    record(
        actor=acting_user,
        kind="inbox.secret_revealed",
        organization=integration.owner,
        target=inbox,
        within=integration,
    )
    return inbox.secret


def rotate_inbox_secret(integration: Integration, *, acting_user, rotated_at: datetime) -> str:
    """A new secret; the previous one stays accepted for INBOX_SECRET_GRACE_HOURS. Returns the new
    secret, which the caller shows.

    ``rotated_at`` is when the secret the person saw was made: a second rotation of that same
    secret (a double click) is refused, since it would end the grace period of the secret the
    third-party system still signs with."""
    inbox = _inbox_of(integration)
    now = timezone.now()
    secret = webhooks.new_secret()
    expires_at = now + timedelta(hours=settings.INBOX_SECRET_GRACE_HOURS)
    with transaction.atomic():
        rotated = Inbox.objects.filter(pk=inbox.pk, rotated_at=rotated_at).update(
            previous_secret=F("secret"),
            previous_secret_expires_at=expires_at,
            secret=secret,
            rotated_at=now,
        )
        if not rotated:
            raise ActionRefused(ALREADY_ROTATED)
        record(
            actor=acting_user,
            kind="inbox.secret_rotated",
            organization=integration.owner,
            target=inbox,
            within=integration,
            comment=f"The previous secret is accepted until {expires_at:%Y-%m-%d %H:%M} UTC.",
        )
    return secret


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
        raise InboxRefused(422, "scope not declared", RefusalReason.UNDECLARED_SCOPE)
    if cache.get(_seen_key(inbox, webhook_id)) or integration.inbox_events.filter(webhook_id=webhook_id).exists():
        raise InboxRefused(409, "webhook-id already received", RefusalReason.REPLAY)
    try:
        sent_at = datetime.fromtimestamp(timestamp, tz=UTC)
        return _store(inbox, scope, webhook_id=webhook_id, sent_at=sent_at, body=event, received=(headers, body))
    except IntegrityError as exc:  # the same webhook-id stored by a request running at the same time
        raise InboxRefused(409, "webhook-id already received", RefusalReason.REPLAY) from exc


def _store(
    inbox: Inbox, scope, *, webhook_id: str, sent_at: datetime, body: dict, received: tuple[Mapping[str, str], bytes]
) -> InboxEvent:
    """The verified event, and its delivery as received (headers and raw body)."""
    integration = inbox.integration
    with transaction.atomic():
        stored = InboxEvent.objects.create(
            integration=integration, webhook_id=webhook_id, scope=scope.name, body=body, sent_at=sent_at
        )
        headers, raw = received
        deliveries.record_verified(inbox, stored, headers=headers, body=raw)
        newest_first = integration.inbox_events.order_by("-received_at", "-id").values_list("pk", flat=True)
        stale = list(newest_first[EVENTS_KEPT:])
        if stale:
            InboxEvent.objects.filter(pk__in=stale).delete()
        first_seen = WebhookScope.objects.filter(pk=scope.pk, first_seen_at__isnull=True).update(
            first_seen_at=stored.received_at
        )
        record(
            actor=None,
            kind="inbox.event_verified",
            organization=integration.owner,
            target=inbox,
            within=integration,
            to_state=scope.name,
            comment=f"webhook-id {webhook_id}" + ("; first event for this scope" if first_seen else ""),
        )
        tiers.recompute(integration, cause="Verified test event received")
        transaction.on_commit(lambda: cache.set(_seen_key(inbox, webhook_id), 1, timeout=SEEN_ID_SECONDS))
    return stored
