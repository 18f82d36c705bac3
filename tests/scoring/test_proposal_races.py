"""Two staff deciding one delisting proposal at once: exactly one decision wins, proven on
PostgreSQL with threads released together."""

import pytest
from django.utils import timezone

from marketplace.listings.models import Listing, Visibility
from portal.models import AuditEvent
from portal.services import ActionRefused
from scoring.models import DelistingProposal, ProposalState
from scoring.proposals.services import decide_proposal
from tests.concurrency import at_once, postgresql_only
from tests.factories import IntegrationFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def test_delist_and_dismiss_at_once_one_wins_and_the_other_is_told():
    integration = IntegrationFactory(tier=1)
    proposal = DelistingProposal.objects.create(integration=integration, day=timezone.localdate(), score=30)
    sam, sue = UserFactory(is_staff=True), UserFactory(is_staff=True)
    outcomes = at_once(
        lambda: decide_proposal(proposal, acting_user=sam, outcome=ProposalState.DELISTED, comment="Remove it."),
        lambda: decide_proposal(proposal, acting_user=sue, outcome=ProposalState.DISMISSED, comment="Keep it."),
    )
    refused = [outcome for outcome in outcomes if isinstance(outcome, ActionRefused)]
    assert len(refused) == 1 and "already been decided" in str(refused[0])
    proposal.refresh_from_db()
    assert AuditEvent.objects.filter(kind__in=["delisting.delisted", "delisting.dismissed"]).count() == 1
    delisted = Listing.objects.filter(integration=integration, visibility=Visibility.DELISTED).exists()
    assert delisted == (proposal.state == ProposalState.DELISTED)
