"""Delisting proposals waiting for staff, handed to the portal's admin home and daily digest
(portal.staff_queues) from ScoringConfig.ready."""

from django.db.models import QuerySet

from portal.staff_queues import StaffQueue, register_queue
from scoring.models import DelistingProposal, ProposalState


def waiting_proposals() -> QuerySet[DelistingProposal]:
    return DelistingProposal.objects.filter(state=ProposalState.PENDING).select_related("integration")


def register_queues() -> None:
    register_queue(
        StaffQueue.in_admin(
            DelistingProposal,
            key="delisting_proposals",
            name="Delisting proposals",
            waiting=waiting_proposals,
            since_field="created_at",
            list_query=f"state__exact={ProposalState.PENDING}",
        )
    )
