"""Asking paying subscribers for a review: once each, after the solicitation delay (the scoring
policy's number; REVIEW_REQUEST_AFTER_DAYS until a policy says otherwise)."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from marketplace import mail
from marketplace.reviews import windows
from marketplace.reviews.models import Review
from marketplace.subscriptions.models import Subscription
from portal.notifications import absolute_url
from portal.services import record


def due_review_requests(now: datetime.datetime):
    """Active subscriptions old enough, never asked, whose organization has not reviewed the integration."""
    reviewed = Review.objects.filter(organization=OuterRef("organization"), integration=OuterRef("integration"))
    return (
        Subscription.objects.active()
        .filter(
            started_at__lte=now - datetime.timedelta(days=windows.current().solicitation_delay_days),
            review_requested_at__isnull=True,
        )
        .exclude(Exists(reviewed))
    )


def request_reviews(now: datetime.datetime | None = None) -> int:
    """Asks each due subscriber once. The conditional UPDATE claims a subscription before its email is
    queued, so a second run (or a second worker) finds nothing left to send."""
    now = now or timezone.now()
    asked = 0
    for pk in due_review_requests(now).values_list("pk", flat=True):
        with transaction.atomic():
            claimed = Subscription.objects.filter(pk=pk, review_requested_at__isnull=True).update(
                review_requested_at=now
            )
            if not claimed:
                continue
            subscription = Subscription.objects.select_related("integration", "organization").get(pk=pk)
            record(
                actor=None,
                kind="review.requested",
                organization=subscription.organization,
                target=subscription,
                target_label=subscription.organization.name,
                within=subscription.integration,
            )
            transaction.on_commit(lambda pk=pk: send_review_request(pk))
            asked += 1
    return asked


def send_review_request(subscription_pk: int) -> None:
    subscription = Subscription.objects.select_related("integration", "organization").get(pk=subscription_pk)
    context = {
        "subscription": subscription,
        "review_url": absolute_url(reverse("review_write", args=[subscription.integration.slug])),
    }
    mail.send(
        f"How is {subscription.integration.name} working for {subscription.organization.name}?",
        "marketplace/email/review_request.txt",
        context,
        mail.managers(subscription.organization),
    )
