"""The integrator's business dashboard, and the query counts of the pages subscriptions and reviews touch."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.business import selectors
from marketplace.models import Review, Subscription
from marketplace.reviews import services as reviews
from marketplace.subscriptions import services
from tests.conftest import client_for
from tests.factories import OrganizationFactory
from tests.marketplace.customers import membership, subscribe

pytestmark = pytest.mark.django_db


def customers_subscribe(integration, count: int, *, days_ago: int, price=Decimal(49)):
    """Customer organizations subscribed days_ago (written directly: only their dates matter here)."""
    start = timezone.now() - datetime.timedelta(days=days_ago)
    return [
        Subscription.objects.create(
            organization=OrganizationFactory(is_customer=True, is_integrator=False),
            integration=integration,
            price_up_front=0,
            price_per_month=price,
            started_at=start,
        )
        for _ in range(count)
    ]


def test_the_dashboard_counts_active_subscribers_mrr_new_and_cancelled_with_reasons(certified, carol, alice):
    customers_subscribe(certified, 2, days_ago=200, price=Decimal(40))
    subscription = subscribe(certified, carol)
    services.cancel_subscription(subscription, membership=membership(carol), reason="too_expensive", text="Budget")
    subscribe(certified, carol)
    board = selectors.dashboard(certified)
    assert (board.active, board.mrr, board.new, board.cancelled) == (3, Decimal(129), 2, 1)
    assert board.reasons == [("Too expensive", 1)]
    content = client_for(alice).get(reverse("business_dashboard", args=[certified.slug])).content.decode()
    assert "$129.00" in content and "Budget" in content and "<svg" in content


def test_the_chart_counts_subscribers_at_the_end_of_each_month(certified):
    old = customers_subscribe(certified, 2, days_ago=200)
    Subscription.objects.filter(pk=old[0].pk).update(cancelled_at=timezone.now() - datetime.timedelta(days=100))
    points = selectors.subscribers_chart(certified, timezone.now()).points
    assert len(points) == 12
    assert points[0].subscribers == 0 and points[-1].subscribers == 1
    assert max(point.subscribers for point in points) == 2


def test_reviews_awaiting_an_answer_show_the_days_left(certified, carol, alice):
    subscribe(certified, carol)
    review = reviews.write_review(certified, membership=membership(carol), stars=1, text="Broken")
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - datetime.timedelta(days=4, hours=1))
    content = client_for(alice).get(reverse("business_dashboard", args=[certified.slug])).content.decode()
    assert "Acme Retail, 1 of 5 stars (negative)" in content and "9 days left" in content
    reviews.answer_review(review, membership=membership(alice), text="Fixed")
    assert selectors.dashboard(certified).awaiting_answer == []


def test_another_organizations_integration_has_no_dashboard(certified, bob):
    assert client_for(bob).get(reverse("business_dashboard", args=[certified.slug])).status_code == 404


def test_the_dashboard_costs_the_same_queries_whatever_the_history(certified, alice, django_assert_max_num_queries):
    client = client_for(alice)
    for round_ in range(2):
        # 9, and once a minute per process the review windows of the scoring policy.
        with django_assert_max_num_queries(10):
            client.get(reverse("business_dashboard", args=[certified.slug]))
        for subscription in customers_subscribe(certified, 5, days_ago=30 + round_):
            Review.objects.create(organization=subscription.organization, integration=certified, stars=2, text="Meh")
            subscription.cancelled_at = timezone.now()
            subscription.cancellation_reason = "other"
            subscription.save()


def test_the_detail_page_with_reviews_costs_the_same_queries_whatever_their_number(certified, carol, alice):
    subscribe(certified, carol)
    reviews.write_review(certified, membership=membership(carol), stars=2, text="Slow")
    for who in (None, carol, alice):
        client, counts = client_for(who), []
        for round_ in range(2):
            with CaptureQueriesContext(connection) as queries:
                client.get(reverse("listing_detail", args=[certified.slug]))
            counts.append(len(queries))
            for subscription in customers_subscribe(certified, 6, days_ago=40 + round_):
                review = Review.objects.create(
                    organization=subscription.organization, integration=certified, stars=1, text="Slow"
                )
                reviews.dispute_review(review, membership=membership(alice), reasoning="Unfair")
        assert counts[0] == counts[1] <= 24, (who, counts)
