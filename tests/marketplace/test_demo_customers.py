"""The marketplace demo: customers who subscribe, cancel and come back, and reviews of every kind."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from integrations.models import Integration, Tier
from marketplace import demo
from marketplace.models import DisputeStatus, Review, Subscription
from portal.models import User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", stdout=io.StringIO())


def test_without_a_certified_integration_the_demo_makes_no_subscriptions(demo_data):
    Integration.objects.filter(tier__gte=Tier.CERTIFIED).update(tier=Tier.READY)
    Subscription.objects.all().delete()
    demo.load_demo_data()
    assert not Subscription.objects.exists()


def test_the_demo_tells_every_story_once(demo_data, django_capture_on_commit_callbacks):
    # The certification demo certified BigCommerce by Northwind; loading again changes nothing.
    integration = Integration.objects.get(slug="bigcommerce-by-northwind")
    assert integration.tier >= Tier.CERTIFIED
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            demo.load_demo_data()
    active = Subscription.objects.active()
    # Hooli Home is the scoring demo's customer, with a negative review still in its response window;
    # Umbrella Goods wrote the flagged review.
    assert set(active.filter(integration=integration).values_list("organization__slug", flat=True)) == {
        "acme-retail",
        "initech-outfitters",
        "umbrella-goods",
        "hooli-home",
    }
    assert Subscription.objects.filter(organization__slug="globex-stores", cancelled_at__isnull=False).count() == 1
    assert Subscription.objects.filter(organization__slug="initech-outfitters").count() == 2
    by = {review.organization.slug: review for review in Review.objects.select_related("organization", "dispute")}
    assert by["acme-retail"].answer
    assert by["globex-stores"].dispute.status == DisputeStatus.PENDING
    assert by["initech-outfitters"].dispute.status == DisputeStatus.REJECTED
    assert by["initech-outfitters"].returned_at is not None
    carol = User.objects.get(email="carol@acme-retail.example.com")
    content = client_for(carol).get(reverse("listing_detail", args=[integration.slug])).content.decode()
    assert "returned after evaluating alternatives" in content and "disputed" in content
    assert "dispute rejected" in content
    # A review flagged twice waits for staff, decided together; the reviews give the cards a rating.
    assert list(Review.objects.flagged().values_list("organization__slug", flat=True)) == ["umbrella-goods"]
    assert by["umbrella-goods"].flags.count() == 2
    listing = integration.listing
    # Acme, Globex, Initech, Umbrella and the scoring demo's Hooli Home (1 star) have reviewed.
    assert (listing.rating_count, str(listing.rating_average)) == (5, "1.80")
