"""generate_scale_world, at a tiny scale: a consistent world (tiers the engine agrees with, listings
searchable, subscriptions and reviews the marketplace's rules allow), and never twice by mistake."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse

from certification.requests.models import CertificationRequest, RequestStatus
from integrations.models import Application, ApplicationVersion, Integration, Tier
from integrations.tiers import engine
from marketplace.listings.models import Listing
from marketplace.reviews.models import Dispute, Review
from marketplace.subscriptions.models import Subscription
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TINY = {"applications": 6, "app_versions": 15, "integrations": 40, "subscriptions": 60, "reviews": 90, "seed": 7}


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_scale_world", **{**TINY, **options}, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_makes_the_counts_asked_for_and_prints_the_time_of_each_step():
    output = generate()
    assert Application.objects.filter(slug__startswith="scale-").count() == 6
    assert ApplicationVersion.objects.filter(application__slug__startswith="scale-").count() == 15
    assert Integration.objects.filter(slug__startswith="scale-").count() == 40
    assert Subscription.objects.count() == 60
    assert Review.objects.count() == 90
    assert "reviews and disputes" in output and "generated in" in output


def test_the_tier_engine_agrees_with_the_tiers_it_wrote_up_to_ready():
    generate()
    integrations = Integration.objects.filter(slug__startswith="scale-")
    assert {i.tier for i in integrations} == {Tier.NONE, Tier.COMPATIBLE, Tier.READY, Tier.CERTIFIED}
    for integration in integrations:
        shown = engine.shown_version(integration)
        assert shown.tier == integration.tier
        reached = engine.reached_tier(engine.evaluate(shown))
        # What the dashboard reads: the summary of the checklists, as recompute would keep it.
        assert shown.checklist == engine.checklist_summary(engine.evaluate(shown))
        # Certified ones carry the approval but not the template mappings: the engine says Ready.
        assert reached == min(integration.tier, Tier.READY)
        if integration.tier == Tier.CERTIFIED:
            assert CertificationRequest.objects.get(version=shown).status == RequestStatus.APPROVED


def test_every_integration_has_a_listing_and_those_at_compatible_or_above_are_found():
    generate()
    assert Listing.objects.count() == 40
    searchable = Listing.objects.searchable()
    assert searchable.count() == Integration.objects.filter(tier__gte=Tier.COMPATIBLE).count()
    listing = searchable.select_related("integration").order_by("pk").first()
    response = client_for(None).get(reverse("marketplace_index"), {"q": listing.integration.name})
    assert listing in response.context["page"].object_list


def test_subscriptions_and_reviews_follow_the_marketplace_rules():
    generate()
    subscribed = Subscription.objects.select_related("integration")
    assert {s.integration.tier for s in subscribed} == {Tier.CERTIFIED}
    assert subscribed.filter(cancelled_at__isnull=False).exists()
    came_back = Subscription.objects.values("organization", "integration").annotate(n=Count("pk")).filter(n=2)
    assert came_back.exists()
    assert all(s.cancelled_at is None or s.cancelled_at > s.started_at for s in subscribed)
    assert Review.objects.exclude(answer="").exists()
    assert all(d.review.is_negative for d in Dispute.objects.select_related("review"))
    assert Dispute.objects.exists()


def test_it_refuses_a_database_that_has_a_world_unless_reset():
    generate()
    with pytest.raises(CommandError, match="--reset"):
        generate()
    generate(reset=True, integrations=20)
    assert Integration.objects.filter(slug__startswith="scale-").count() == 20
    assert Review.objects.count() == 90


def test_a_scale_that_cannot_be_made_is_refused_with_a_message():
    with pytest.raises(CommandError, match="at least one version"):
        generate(app_versions=3)


def test_every_listing_carries_the_count_and_average_of_its_generated_reviews():
    generate()
    rated = 0
    for listing in Listing.objects.all():
        stars = list(
            Review.objects.public().filter(integration_id=listing.integration_id).values_list("stars", flat=True)
        )
        assert listing.rating_count == len(stars)
        if stars:
            rated += 1
            assert abs(float(listing.rating_average) - sum(stars) / len(stars)) <= 0.005
    assert rated
