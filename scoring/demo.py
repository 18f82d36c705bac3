"""Demo data for `make run`: a scored world. After the marketplace's demo, it adds

- Adobe Commerce by Northwind, whose newest published version supports 2.4.6 but not the latest
  2.4.7: behind on versions (the dashboard's alert, -20 in its breakdown);
- a new customer's 1-star review of BigCommerce by Northwind eight days ago, unanswered: inside the
  response window, so the breakdown says how many days are left to answer it;
- Adobe Commerce by Bluebird, with negative reviews left unanswered and cancellations months after
  subscribing: scored below the hide threshold, so hidden from search;
- Magento Legacy by Bluebird, also behind on versions: scored below the delisting threshold, so a
  delisting proposal waits for staff;

then runs the scoring once (today). Idempotent: loading twice changes nothing. The subscriptions
and reviews of Bluebird's integrations are history written as rows (moved back in time, as the
marketplace demo moves its own); the review on BigCommerce goes through the marketplace's actions."""

import datetime
import logging

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from integrations.demo.loader import load_openapi_import
from integrations.models import Application, Integration, IntegrationKind, IntegrationVersion, VersionStatus
from integrations.tiers import engine as tiers
from marketplace.models import Review, Subscription
from marketplace.reviews import services as reviews
from marketplace.subscriptions import services as subscriptions
from portal.demo import DEMO_PASSWORD, STAFF_GROUP
from portal.models import Membership, Organization, Role, User
from scoring.models import ScoringRun
from scoring.runs import services as runs

logger = logging.getLogger(__name__)

COMMON = {
    "kind": IntegrationKind.DYNAMIC,
    "has_hook": True,
    "hosts_multitenant_cloud": True,
    "data_movement": "Orders and customers move to iPaaS.com as they are created; stock moves back.",
    "features": "Orders to iPaaS.com\nCustomers both ways",
    "price_per_month": 39,
}
# slug: owner slug, application, name, supported version labels, description
INTEGRATIONS = {
    "adobe-commerce-by-northwind": (
        "northwind-integrations",
        "Adobe Commerce",
        "Adobe Commerce by Northwind",
        ["2.4.6"],
        "Adobe Commerce orders and B2B customers into iPaaS.com.",
    ),
    "adobe-commerce-by-bluebird": (
        "bluebird-connect",
        "Adobe Commerce",
        "Adobe Commerce by Bluebird",
        ["2.4.6", "2.4.7"],
        "Adobe Commerce orders into iPaaS.com, nightly.",
    ),
    "magento-legacy-by-bluebird": (
        "bluebird-connect",
        "Magento",
        "Magento Legacy by Bluebird",
        ["Open Source 2.3.x"],
        "Magento 2.3 stores into iPaaS.com, for merchants who have not upgraded.",
    ),
}
# Customers whose history the Bluebird integrations carry.
CUSTOMERS = [
    ("hooli-home", "Hooli Home"),
    ("vandelay-imports", "Vandelay Imports"),
    ("wonka-sweets", "Wonka Sweets"),
    ("stark-supplies", "Stark Supplies"),
    ("pied-piper-print", "Pied Piper Print"),
    ("dunder-paper", "Dunder Paper"),
    ("soylent-foods", "Soylent Foods"),
]
HOOLI_OWNER = ("hana@hooli.example.com", "Hana Hooli")
# integration slug: (negative reviews past the response window, cancellations 2 to 6 months in)
HISTORY = {"adobe-commerce-by-bluebird": (4, 5), "magento-legacy-by-bluebird": (6, 5)}


def load_demo_data() -> list[tuple[str, str]]:
    if not Organization.objects.filter(slug="bluebird-connect").exists():
        logger.info("Scoring demo: the integrators of the demo are missing, nothing to score.")
        return []
    with transaction.atomic():
        _load_staff_permissions()
        customers = [_customer(slug, name) for slug, name in CUSTOMERS]
        _person(customers[0], HOOLI_OWNER)
        for slug, spec in INTEGRATIONS.items():
            _integration(slug, *spec)
        for slug, (negative, cancelled) in HISTORY.items():
            _history(Integration.objects.get(slug=slug), customers, negative, cancelled)
        _fresh_negative_review(customers[0])
        if not ScoringRun.objects.exists():
            run = runs.start_run(day=timezone.localdate())
            runs.execute_run(run.pk)
    return [(HOOLI_OWNER[0], f"{HOOLI_OWNER[1]} (customer)")]


# What the demo staff do in scoring's admin: decide delisting proposals, start runs, publish policies.
STAFF_PERMISSIONS = [
    "view_delistingproposal",
    "change_delistingproposal",
    "view_scoringrun",
    "view_scoringpolicy",
    "add_scoringpolicy",
    "change_scoringpolicy",
]


def _load_staff_permissions() -> None:
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="scoring", codename__in=STAFF_PERMISSIONS))
    for user in User.objects.filter(is_staff=True, is_superuser=False):
        user.groups.add(group)


def _person(organization: Organization, person: tuple[str, str]) -> None:
    email, name = person
    user, created = User.objects.get_or_create(email=email, defaults={"name": name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    Membership.objects.get_or_create(organization=organization, user=user, defaults={"role": Role.OWNER})


def _customer(slug: str, name: str) -> Organization:
    organization, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name, "is_customer": True})
    return organization


def _integration(slug: str, owner_slug: str, application_name: str, name: str, labels: list, description: str):
    application = Application.objects.get(name=application_name)
    integration, _ = Integration.objects.get_or_create(
        slug=slug,
        defaults={
            "owner": Organization.objects.get(slug=owner_slug),
            "application": application,
            "name": name,
            "description": description,
            **COMMON,
        },
    )
    integration.scopes.get_or_create(name="order/created")
    load_openapi_import(integration)
    version, created = IntegrationVersion.objects.get_or_create(
        integration=integration,
        number="1.0.0",
        defaults={"release_notes": "First release.", "status": VersionStatus.PUBLISHED, "published_at": timezone.now()},
    )
    if created:
        version.supported_versions.set(application.versions.filter(label__in=labels))
    tiers.recompute(integration, cause="demo data")
    return integration


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _history(integration: Integration, customers: list[Organization], negative: int, cancelled: int) -> None:
    if Subscription.objects.filter(integration=integration).exists():
        return
    for index, customer in enumerate(customers[1:]):
        started = _ago(300 + 10 * index)
        ended = started + datetime.timedelta(days=70 + 10 * index) if index < cancelled else None
        Subscription.objects.create(
            organization=customer,
            integration=integration,
            price_up_front=integration.price_up_front,
            price_per_month=integration.price_per_month,
            started_at=started,
            cancelled_at=ended,
        )
        if index < negative:
            Review.objects.create(
                organization=customer,
                integration=integration,
                stars=1 + index % 2,
                text="Orders stopped arriving after an update and nobody answered our ticket.",
                created_at=started + datetime.timedelta(days=60),
            )


def _fresh_negative_review(customer: Organization) -> None:
    """A customer of BigCommerce by Northwind (Certified) unhappy eight days ago, through the actions."""
    integration = Integration.objects.filter(slug="bigcommerce-by-northwind").first()
    if integration is None or Review.objects.filter(integration=integration, organization=customer).exists():
        return
    membership = Membership.objects.filter(organization=customer, role=Role.OWNER).first()
    if membership is None:
        return
    subscription = subscriptions.subscribe(
        integration,
        membership=membership,
        version=subscriptions.newest_published_version(integration),
        confirmed_price=(integration.price_up_front, integration.price_per_month),
    )
    Subscription.objects.filter(pk=subscription.pk).update(started_at=_ago(40))
    review = reviews.write_review(
        integration, membership=membership, stars=1, text="The product sync skipped our variants twice."
    )
    Review.objects.filter(pk=review.pk).update(created_at=_ago(8))
