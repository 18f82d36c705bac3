"""`make run`'s scored world: one integration behind on versions, one negative review inside the
response window, one hidden, one delisting proposal waiting; loading twice changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from marketplace.listings.models import Listing, Visibility
from marketplace.models import Review, Subscription
from portal.models import User
from scoring.models import DelistingProposal, ProposalState, ScoreSnapshot, ScoringRun
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def load(capture):
    with capture(execute=True):
        call_command("load_demo_data", stdout=io.StringIO())


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    load(django_capture_on_commit_callbacks)


def test_the_demo_is_a_scored_world(demo):
    assert ScoringRun.objects.filter(state="done").count() == 1
    behind = ScoreSnapshot.objects.get(integration__slug="adobe-commerce-by-northwind")
    assert behind.deductions.filter(rule="version_relevance").exists()
    hidden = Listing.objects.get(integration__slug="adobe-commerce-by-bluebird")
    assert hidden.visibility == Visibility.HIDDEN and hidden.score >= 40
    proposal = DelistingProposal.objects.get(integration__slug="magento-legacy-by-bluebird")
    assert proposal.state == ProposalState.PENDING


def test_alice_sees_the_version_alert_and_the_review_to_answer(demo):
    alice = User.objects.get(email="alice@northwind.example.com")
    client = client_for(alice)
    dashboard = client.get(reverse("integration_dashboard")).content.decode()
    assert "Behind on versions" in dashboard and "Adobe Commerce by Northwind" in dashboard
    page = client.get(reverse("integration_detail", args=["bigcommerce-by-northwind"])).content.decode()
    assert "answer this review within 6 days" in page


def test_loading_twice_changes_nothing(demo, django_capture_on_commit_callbacks):
    counts = (Subscription.objects.count(), Review.objects.count(), ScoreSnapshot.objects.count())
    load(django_capture_on_commit_callbacks)
    assert (Subscription.objects.count(), Review.objects.count(), ScoreSnapshot.objects.count()) == counts
    assert ScoringRun.objects.count() == 1 and DelistingProposal.objects.count() == 1


def test_the_demo_staff_see_the_delisting_queue(demo):
    from portal import staff_queues

    sam = User.objects.get(email="sam@redrook.example.com")
    [count] = [c for c in staff_queues.count_waiting(sam) if c.queue.key == "delisting_proposals"]
    assert count.count == 1
