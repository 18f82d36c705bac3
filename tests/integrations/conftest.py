"""The integrations cast: Northwind (alice owner, ivy member) is also an application provider here,
and so is Bluebird (bob owner), so "another provider" exists for the tenancy tests; Northwind's
Magento integration and its version 1.0.0 are what most workspace and mapping tests work on
(a test module extends them by asking for the fixture of the same name)."""

import datetime

import pytest

from tests.factories import ApplicationFactory, ApplicationVersionFactory, IntegrationFactory, IntegrationVersionFactory


@pytest.fixture
def provider(northwind):
    northwind.is_provider = True
    northwind.save(update_fields=["is_provider"])
    return northwind


@pytest.fixture
def other_provider(bluebird):
    bluebird.is_provider = True
    bluebird.save(update_fields=["is_provider"])
    return bluebird


@pytest.fixture
def magento(provider):
    return ApplicationFactory(provider=provider, name="Magento", slug="magento", is_published=True)


@pytest.fixture
def magento_versions(magento):
    """The seed's three Magento versions, created out of order."""
    return {
        label: ApplicationVersionFactory(application=magento, label=label, release_date=released)
        for label, released in [
            ("Open Source 2.4.x", datetime.date(2020, 7, 28)),
            ("Open Source 2.5.x", datetime.date(2025, 10, 14)),
            ("Open Source 2.3.x", datetime.date(2018, 11, 28)),
        ]
    }


@pytest.fixture
def draft(provider):
    return ApplicationFactory(provider=provider, name="Secret Suite", slug="secret-suite", is_published=False)


@pytest.fixture
def integration(northwind):
    return IntegrationFactory(owner=northwind, name="Magento by Northwind", slug="magento-by-northwind")


@pytest.fixture
def version(integration):
    return IntegrationVersionFactory(integration=integration, number="1.0.0")
