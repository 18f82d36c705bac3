"""The marketplace's test data: integrations at each tier, made through the factories (the listing
rows follow by the marketplace's signal, as they do for integrations made in the portal)."""

import datetime

import pytest

from integrations.models import Category, Tier, VersionStatus
from tests.factories import ApplicationFactory, ApplicationVersionFactory, IntegrationFactory, IntegrationVersionFactory

BRIEF = "Mid-market merchants moving off spreadsheets, a brief only partners read"


def listed(application=None, **fields):
    """An integration on the marketplace (Compatible unless told), with a published version."""
    fields.setdefault("tier", Tier.COMPATIBLE)
    integration = IntegrationFactory(application=application or ApplicationFactory(), **fields)
    return integration


def publish(integration, number: str, supports=(), day: int = 1):
    version = IntegrationVersionFactory(
        integration=integration,
        number=number,
        status=VersionStatus.PUBLISHED,
        published_at=datetime.datetime(2026, 1, day, tzinfo=datetime.UTC),
    )
    version.supported_versions.set(supports)
    return version


@pytest.fixture
def magento(db):
    return ApplicationFactory(name="Magento", slug="magento", category=Category.ECOMMERCE)


@pytest.fixture
def netsuite(db):
    return ApplicationFactory(name="NetSuite", slug="netsuite", category=Category.ERP)


@pytest.fixture
def certified(northwind, magento):
    """Northwind's Certified Magento integration, with two published versions and a partner brief."""
    integration = listed(
        magento,
        owner=northwind,
        name="Magento by Northwind",
        slug="magento-by-northwind",
        tier=Tier.CERTIFIED,
        description="Keeps Magento orders and customers in step with iPaaS.com.",
        features="Order sync\nCustomer sync",
        workflow_documentation="New orders flow to iPaaS.com within a minute.",
        price_up_front=100,
        price_per_month=49,
        brief_typical_market=BRIEF,
        has_hook=True,
        hosts_multitenant_cloud=True,
    )
    old, new = (
        ApplicationVersionFactory(application=magento, label="2.3.x", release_date=datetime.date(2019, 1, 1)),
        (ApplicationVersionFactory(application=magento, label="2.4.x", release_date=datetime.date(2021, 1, 1))),
    )
    publish(integration, "1.0.0", supports=[old], day=1)
    publish(integration, "1.1.0", supports=[old, new], day=2)
    return integration
