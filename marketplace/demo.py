"""Demo data for `make run`: customers who subscribe, cancel and come back, and reviews of every kind
(answered, disputed and pending, dispute rejected, flagged as abusive and waiting for staff), all
made through the marketplace's actions; the reviews give the integration its rating.

Subscriptions need a Certified integration, and Certified needs a certification request approved,
which only the certification workflow can give: until an integration in the demo reaches Certified
through the tier engine, this loader makes no subscriptions or reviews (and says so in the log)."""

import datetime
import logging

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from integrations.models import Integration, Tier
from marketplace.reviews import services as reviews
from marketplace.subscriptions import services as subscriptions
from marketplace.subscriptions.models import CancellationReason, Subscription
from portal.demo import DEMO_PASSWORD, STAFF_GROUP
from portal.models import Membership, Organization, Role, User

logger = logging.getLogger(__name__)

CUSTOMERS = [
    # org slug, org name, owner email, owner name
    ("globex-stores", "Globex Stores", "dana@globex.example.com", "Dana Departed"),
    ("initech-outfitters", "Initech Outfitters", "erin@initech.example.com", "Erin Returner"),
    ("umbrella-goods", "Umbrella Goods", "fred@umbrella.example.com", "Fred Furious"),
]
STAFF_PERMISSIONS = {
    "dispute": ("view", "change"),
    "reviewflag": ("view", "change"),
    "review": ("view",),
    "subscription": ("view",),
}


def load_demo_data() -> list[tuple[str, str]]:
    with transaction.atomic():
        _load_staff_permissions()
        accounts = [_customer(*row) for row in CUSTOMERS]
        integration = Integration.objects.filter(tier__gte=Tier.CERTIFIED).order_by("pk").first()
        if integration is None:
            logger.info("Marketplace demo: no Certified integration yet, so no subscriptions or reviews.")
        elif not Subscription.objects.filter(integration=integration).exists():
            _load_subscriptions_and_reviews(integration)
    return [(email, f"{name} (customer)") for email, name in accounts]


def _customer(slug: str, name: str, email: str, person: str) -> tuple[str, str]:
    organization, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name, "is_customer": True})
    user, created = User.objects.get_or_create(email=email, defaults={"name": person})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    Membership.objects.get_or_create(organization=organization, user=user, defaults={"role": Role.OWNER})
    return email, person


def _owner(slug: str) -> Membership:
    return Membership.objects.select_related("organization", "user").get(organization__slug=slug, role=Role.OWNER)


def _subscribe(integration: Integration, membership: Membership, days_ago: int) -> Subscription:
    price = (integration.price_up_front, integration.price_per_month)
    subscription = subscriptions.subscribe(
        integration,
        membership=membership,
        version=subscriptions.newest_published_version(integration),
        confirmed_price=price,
    )
    # The demo tells a story over months: move the start back (the action always starts "now").
    Subscription.objects.filter(pk=subscription.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return subscription


def _load_subscriptions_and_reviews(integration: Integration) -> None:
    acme, globex, initech = _owner("acme-retail"), _owner("globex-stores"), _owner("initech-outfitters")
    integrator = _owner(integration.owner.slug)
    staff = User.objects.filter(is_staff=True).order_by("pk").first()

    _subscribe(integration, acme, days_ago=120)
    answered = reviews.write_review(
        integration, membership=acme, stars=4, text="Orders arrive within a minute. Setup took an afternoon."
    )
    reviews.answer_review(
        answered, membership=integrator, text="Thank you! Refunds sync is coming in the next version."
    )

    left = _subscribe(integration, globex, days_ago=75)
    pending = reviews.write_review(integration, membership=globex, stars=1, text="Customers were duplicated twice.")
    reviews.dispute_review(
        pending,
        membership=integrator,
        reasoning="Globex imported the same customer file twice by hand; the logs show it.",
    )
    subscriptions.cancel_subscription(
        left, membership=globex, reason=CancellationReason.NOT_WORKING, text="Duplicated customers"
    )

    first = _subscribe(integration, initech, days_ago=200)
    rejected = reviews.write_review(integration, membership=initech, stars=2, text="Too expensive for what it does.")
    dispute = reviews.dispute_review(
        rejected, membership=integrator, reasoning="The price was shown before subscribing."
    )
    if staff is not None:
        reviews.decide_dispute(
            dispute, acting_user=staff, outcome="rejected", comment="A price complaint is a fair opinion to hold."
        )
    subscriptions.cancel_subscription(first, membership=initech, reason=CancellationReason.SWITCHED)
    Subscription.objects.filter(pk=first.pk).update(cancelled_at=timezone.now() - datetime.timedelta(days=100))
    _subscribe(integration, initech, days_ago=20)  # came back: the review gets the tag, Erin is asked to comment

    _subscribe(integration, _owner("umbrella-goods"), days_ago=40)
    abusive = reviews.write_review(
        integration,
        membership=_owner("umbrella-goods"),
        stars=1,
        text="Whoever built this is a clown and should be ashamed. Avoid these amateurs.",
    )
    # Two people flag it: one review waits in the staff queue with both flags, to be decided together.
    reviews.flag_review(abusive, user=acme.user, reason="Insults the integrator instead of reviewing the product.")
    reviews.flag_review(
        abusive, user=integrator.user, reason="Personal attack on our team, nothing about the integration."
    )


def _load_staff_permissions() -> None:
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    codenames = [f"{action}_{model}" for model, actions in STAFF_PERMISSIONS.items() for action in actions]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="marketplace", codename__in=codenames))
    for user in User.objects.filter(is_staff=True, is_superuser=False):
        user.groups.add(group)
