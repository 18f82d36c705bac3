"""Helpers for the subscription and review tests: an organization's membership, a subscription
made through the action, a time machine for started_at."""

import datetime
from decimal import Decimal

from django.utils import timezone

from marketplace.subscriptions import services as subscriptions


def membership(user):
    return user.memberships.select_related("organization", "user").get()


def subscribe(integration, user, *, days_ago: int = 0):
    price = (Decimal(integration.price_up_front), Decimal(integration.price_per_month))
    subscription = subscriptions.subscribe(
        integration, membership=membership(user), version=None, confirmed_price=price
    )
    if days_ago:
        subscription.started_at = timezone.now() - datetime.timedelta(days=days_ago)
        subscription.save(update_fields=["started_at"])
    return subscription
