"""Delisting proposals waiting for staff, handed to the portal's admin home and daily digest
(portal.staff_queues) from ScoringConfig.ready."""

from django.db.models import QuerySet
from django.urls import reverse

from portal.staff_queues import StaffQueue, register_queue
from scoring.models import DelistingProposal, ProposalState


def waiting_proposals() -> QuerySet[DelistingProposal]:
    return DelistingProposal.objects.filter(state=ProposalState.PENDING).select_related("integration")


def decision_url(proposal: DelistingProposal) -> str:
    return reverse("admin:scoring_delistingproposal_change", args=[proposal.pk])


def register_queues() -> None:
    register_queue(
        StaffQueue(
            key="delisting_proposals",
            name="Delisting proposals",
            waiting=waiting_proposals,
            since_field="created_at",
            list_url_name="admin:scoring_delistingproposal_changelist",
            list_query=f"state__exact={ProposalState.PENDING}",
            decision_url=decision_url,
            permission="scoring.view_delistingproposal",
        )
    )
