"""An integration's workspace page shows its newest tier changes and links to every one of them,
listed newest first a page at a time on the tier history page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integrations.models import Tier, TierChange
from integrations.workspace import views
from tests.conftest import client_for
from tests.factories import IntegrationFactory


@pytest.fixture
def integration(northwind):
    return IntegrationFactory(owner=northwind, name="Magento connector", slug="magento-connector")


def _changes(integration, count: int) -> None:
    start = timezone.now() - timedelta(days=30)
    TierChange.objects.bulk_create(
        TierChange(
            integration=integration,
            from_tier=Tier.NONE if n % 2 == 0 else Tier.COMPATIBLE,
            to_tier=Tier.COMPATIBLE if n % 2 == 0 else Tier.NONE,
            cause=f"change {n:03}",
            created_at=start + timedelta(hours=n),
        )
        for n in range(count)
    )


def test_the_workspace_page_shows_the_newest_tier_changes_and_links_to_all_with_their_count(alice, integration):
    count = views.TIER_CHANGES_SHOWN + 4
    _changes(integration, count)

    page = client_for(alice).get(integration.get_absolute_url()).content.decode()

    assert f"change {count - 1:03}" in page and "change 004" in page and "change 003" not in page
    assert reverse("integration_tier_history", args=[integration.slug]) in page
    assert f"All {count} tier changes of Magento connector" in page


def test_the_workspace_page_has_no_link_to_all_tier_changes_when_it_shows_them_all(alice, integration):
    _changes(integration, views.TIER_CHANGES_SHOWN)

    page = client_for(alice).get(integration.get_absolute_url()).content.decode()

    assert "change 000" in page
    assert reverse("integration_tier_history", args=[integration.slug]) not in page


def test_the_tier_history_page_lists_every_change_a_page_at_a_time_at_constant_queries(
    alice, integration, django_assert_max_num_queries
):
    url = reverse("integration_tier_history", args=[integration.slug])
    client = client_for(alice)
    _changes(integration, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    count = views.TIER_CHANGES_PER_PAGE + 3
    _changes(integration, count - 2)

    with django_assert_max_num_queries(len(few)):
        first = client.get(url).content.decode()
    last = client.get(url, {"page": 2}).content.decode()

    assert first.count('class="tier-cause"') == views.TIER_CHANGES_PER_PAGE
    assert last.count('class="tier-cause"') == 3
    assert '<span aria-current="page">Page 1 of 2</span>' in first and 'aria-label="Tier changes"' in first
    assert f"{count} tier changes, newest first; 1 to {views.TIER_CHANGES_PER_PAGE} are listed" in first
    assert "Not yet Compatible" in first and "Compatible" in first


@pytest.mark.parametrize(("value", "shown"), [("abc", 1), ("0", 2), ("9999999", 2)])
def test_a_bad_tier_history_page_answers_the_first_or_last_page(alice, integration, value, shown):
    _changes(integration, views.TIER_CHANGES_PER_PAGE + 1)

    response = client_for(alice).get(reverse("integration_tier_history", args=[integration.slug]), {"page": value})

    assert response.status_code == 200
    assert f'<span aria-current="page">Page {shown} of 2</span>' in response.content.decode()


def test_the_tier_history_of_an_integration_whose_tier_never_changed_says_so(alice, integration):
    page = client_for(alice).get(reverse("integration_tier_history", args=[integration.slug])).content.decode()

    assert "The tier of Magento connector has not changed yet." in page
