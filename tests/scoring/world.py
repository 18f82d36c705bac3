"""Small worlds for the scoring tests: rows written directly at the moments a test needs."""

import datetime

from integrations.models import ApplicationVersion, IntegrationVersion, VersionStatus
from marketplace.models import Dispute, Review, Subscription
from tests.factories import OrganizationFactory

DAY = datetime.date(2026, 6, 15)
END = datetime.datetime(2026, 6, 16, tzinfo=datetime.UTC)  # the end of DAY: what a run of DAY sees


def days_before_end(days: float) -> datetime.datetime:
    return END - datetime.timedelta(days=days)


def customer():
    return OrganizationFactory(is_customer=True, is_integrator=False)


def subscription(integration, *, started, cancelled=None, organization=None):
    return Subscription.objects.create(
        organization=organization or customer(),
        integration=integration,
        price_up_front=0,
        price_per_month=10,
        started_at=started,
        cancelled_at=cancelled,
    )


def review(integration, *, stars=1, created, organization=None, answered=None, dispute=None, disputed=None):
    row = Review.objects.create(
        organization=organization or customer(),
        integration=integration,
        stars=stars,
        text="Not what we needed.",
        created_at=created,
        answered_at=answered,
        answer="Sorry, let us help." if answered else "",
    )
    if dispute:
        Dispute.objects.create(
            review=row, reasoning="A misunderstanding.", status=dispute, raised_at=disputed or created
        )
    return row


def published_version(integration, number="1.0.0", supports=()):
    version = IntegrationVersion.objects.create(integration=integration, number=number, status=VersionStatus.PUBLISHED)
    version.supported_versions.set(supports)
    return version


def application_version(application, label, released):
    return ApplicationVersion.objects.create(application=application, label=label, release_date=released)
