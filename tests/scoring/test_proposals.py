"""Delisting proposals are a staff queue; staff delist (the page says the integration is no longer
offered, subscribers keep their subscriptions) or dismiss, with a comment; one decision wins."""

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.listings.models import Listing, Visibility
from marketplace.models import Subscription
from portal import staff_queues
from portal.models import AuditEvent
from portal.services import ActionRefused
from scoring.models import DelistingProposal, ProposalState
from scoring.proposals.services import decide_proposal
from scoring.runs import services as runs
from tests.conftest import client_for
from tests.factories import IntegrationFactory
from tests.scoring.world import DAY, days_before_end, review, subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(northwind, alice, ivy):
    """Northwind's integration with 12 counted negative reviews and an excessive share of
    cancellations: 100 - 30 - 15 - ... below 40."""
    integration = IntegrationFactory(owner=northwind, name="Falling by Northwind", slug="falling", tier=1)
    for _ in range(7):
        review(integration, created=days_before_end(30))
    for n in range(6):
        subscription(integration, started=days_before_end(200 + n), cancelled=days_before_end(60 + n))
    subscription(integration, started=days_before_end(300))
    run = runs.start_run(day=DAY)
    runs.execute_run(run.pk)
    return DelistingProposal.objects.get(integration=integration)


def change_url(proposal) -> str:
    return reverse("admin:scoring_delistingproposal_change", args=[proposal.pk])


def test_a_waiting_proposal_is_a_staff_queue_linking_to_its_decision_page(proposal, sam):
    [count] = [c for c in staff_queues.count_waiting(sam) if c.queue.key == "delisting_proposals"]
    assert count.count == 1
    assert count.queue.decision_url(proposal) == change_url(proposal)


def test_the_decision_page_shows_the_score_and_why(proposal, sam):
    page = client_for(sam).get(change_url(proposal)).content.decode()
    assert str(proposal.score) in page and "Negative reviews: −30" in page
    assert 'name="state"' in page and 'name="comment"' in page


def test_delisting_removes_the_integration_and_keeps_the_subscriptions(
    proposal, sam, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post(change_url(proposal), {"state": "delisted", "comment": "Below 40 for weeks."})
    assert response.status_code == 302
    integration = proposal.integration
    assert Listing.objects.get(integration=integration).visibility == Visibility.DELISTED
    assert Subscription.objects.filter(integration=integration, cancelled_at__isnull=True).count() == 1
    page = client_for(None).get(reverse("listing_detail", args=[integration.slug]))
    assert page.status_code == 410 and "no longer offered" in page.content.decode()
    event = AuditEvent.objects.get(kind="delisting.delisted")
    assert (event.actor, event.comment, event.to_state) == (sam, "Below 40 for weeks.", "delisted")
    assert alice.email in [m.to[0] for m in mail.outbox if "delisted" in m.subject]


def test_dismissing_keeps_it_listed_and_tells_the_integrator(proposal, sam, ivy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decide_proposal(proposal, acting_user=sam, outcome=ProposalState.DISMISSED, comment="A new release is due.")
    assert Listing.objects.get(integration=proposal.integration).visibility != Visibility.DELISTED
    assert ivy.email in [m.to[0] for m in mail.outbox if "dismissed" in m.subject]


def test_a_decision_without_a_comment_is_refused_with_a_message(proposal, sam):
    response = client_for(sam).post(change_url(proposal), {"state": "delisted", "comment": "  "})
    assert response.status_code == 200 and "<title>Error:" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING


def test_a_second_decision_is_refused(proposal, sam):
    decide_proposal(proposal, acting_user=sam, outcome=ProposalState.DISMISSED, comment="Keep it.")
    with pytest.raises(ActionRefused, match="already been decided"):
        decide_proposal(proposal, acting_user=sam, outcome=ProposalState.DELISTED, comment="No, remove it.")
    assert AuditEvent.objects.filter(kind__startswith="delisting.d").count() == 1


def test_a_decision_sent_after_another_staff_decided_says_who_and_when_and_changes_nothing(proposal, sam):
    decide_proposal(proposal, acting_user=sam, outcome=ProposalState.DISMISSED, comment="Keep it.")
    response = client_for(sam).post(change_url(proposal), {"state": "delisted", "comment": "Remove."}, follow=True)
    assert response.redirect_chain == [(change_url(proposal), 302)]
    page = response.content.decode()
    assert "Your decision was not applied" in page and "already decided this proposal (dismissed)" in page
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DISMISSED
    assert Listing.objects.get(integration=proposal.integration).visibility != Visibility.DELISTED


def test_a_later_run_keeps_a_delisted_integration_delisted(proposal, sam):
    decide_proposal(proposal, acting_user=sam, outcome=ProposalState.DELISTED, comment="Gone.")
    run = runs.start_run(day=DAY)
    runs.execute_run(run.pk)
    assert Listing.objects.get(integration=proposal.integration).visibility == Visibility.DELISTED


def test_a_decided_proposal_is_read_only(proposal, sam):
    decide_proposal(proposal, acting_user=sam, outcome=ProposalState.DISMISSED, comment="Keep it.")
    page = client_for(sam).get(change_url(proposal)).content.decode()
    assert 'name="state"' not in page and "Keep it." in page
