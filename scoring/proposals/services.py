"""Staff decide a delisting proposal: delist the integration (the marketplace's delist: its page
says it is no longer offered, subscribers keep their subscriptions) or dismiss the proposal. A
comment is required; a conditional UPDATE lets exactly one decision win when two staff decide at
once; the decision is audited and the owner's members are emailed once it commits."""

from django.db import transaction
from django.utils import timezone

from marketplace.listings.services import delist
from portal.models import User
from portal.services import ActionRefused, record
from scoring.models import PROPOSAL_DECISIONS, DelistingProposal, ProposalState
from scoring.proposals import notifications

COMMENT_REQUIRED = "Say why: the comment is recorded with the decision and sent to the integrator."


def decide_proposal(proposal: DelistingProposal, *, acting_user: User, outcome: str, comment: str) -> DelistingProposal:
    comment = (comment or "").strip()
    if outcome not in PROPOSAL_DECISIONS[ProposalState.PENDING]:
        raise ActionRefused("Choose to delist the integration or dismiss the proposal.")
    if not comment:
        raise ActionRefused(COMMENT_REQUIRED)
    with transaction.atomic():
        decided = DelistingProposal.objects.filter(pk=proposal.pk, state=ProposalState.PENDING).update(
            state=outcome, decided_by=acting_user, decided_at=timezone.now(), comment=comment
        )
        if not decided:
            raise ActionRefused("This delisting proposal has already been decided.")
        proposal = DelistingProposal.objects.select_related("integration__owner").get(pk=proposal.pk)
        if outcome == ProposalState.DELISTED:
            delist(proposal.integration, acting_user=acting_user, reason=comment)
        record(
            actor=acting_user,
            kind=f"delisting.{outcome}",
            organization=proposal.integration.owner,
            target=proposal,
            target_label=f"Delisting proposal of {proposal.day}",
            within=proposal.integration,
            from_state=ProposalState.PENDING,
            to_state=outcome,
            comment=comment,
        )
        transaction.on_commit(lambda: notifications.send_proposal_decided(proposal.pk))
    return proposal
