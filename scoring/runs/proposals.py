"""Delisting proposals: a run below the delisting threshold sends one to staff, unless one is
waiting already, or staff dismissed the last one and the score has not risen above the threshold
since (staff decided to keep it; a new fall asks again)."""

from django.db.models import Max

from integrations.models import Integration
from marketplace.listings.models import Visibility
from portal.services import Change, record_changes
from scoring.models import DelistingProposal, ProposalState, ScoreSnapshot, ScoringRun
from scoring.runs.storage import Written


def _dismissed_and_still_low(run: ScoringRun, integration_ids: set[int]) -> set[int]:
    dismissed = dict(
        DelistingProposal.objects.filter(integration_id__in=integration_ids, state=ProposalState.DISMISSED)
        .order_by()
        .values("integration_id")
        .annotate(day=Max("day"))
        .values_list("integration_id", "day")
    )
    risen = set(
        ScoreSnapshot.objects.filter(
            integration_id__in=dismissed, score__gte=run.policy.delisting_threshold, day__lt=run.day
        )
        .order_by()
        .values("integration_id")
        .annotate(last=Max("day"))
        .values_list("integration_id", "last")
    )
    risen_after = {pk for pk, last in risen if last > dismissed[pk]}
    return set(dismissed) - risen_after


def propose_delistings(run: ScoringRun, snapshots: Written, visibilities: dict[int, str]) -> int:
    """snapshots: {integration id: (the day's snapshot id, score)}, as storage.insert_day wrote them."""
    threshold = run.policy.delisting_threshold
    low = {
        integration_id: snapshot
        for integration_id, snapshot in snapshots.items()
        if snapshot[1] < threshold and visibilities[integration_id] != Visibility.DELISTED
    }
    if not low:
        return 0
    waiting = set(
        DelistingProposal.objects.filter(integration_id__in=low, state=ProposalState.PENDING).values_list(
            "integration_id", flat=True
        )
    )
    candidates = set(low) - waiting
    candidates -= _dismissed_and_still_low(run, candidates)
    proposals = DelistingProposal.objects.bulk_create(
        [
            DelistingProposal(integration_id=pk, snapshot_id=low[pk][0], run=run, day=run.day, score=low[pk][1])
            for pk in sorted(candidates)
        ]
    )
    integrations = (
        Integration.objects.filter(pk__in=candidates).order_by().values_list("pk", "name", "owner_id", "owner__name")
    )
    owned = {pk: (name, owner_id, owner_name) for pk, name, owner_id, owner_name in integrations}
    record_changes(
        "delisting.proposed",
        DelistingProposal,
        Integration,
        (
            Change(
                organization_id=owned[proposal.integration_id][1],
                organization_name=owned[proposal.integration_id][2],
                target_id=proposal.pk,
                target_label=f"Delisting proposal of {run.day}",
                within_id=proposal.integration_id,
                within_label=owned[proposal.integration_id][0],
                from_state="",
                to_state="",
                comment=f"score {proposal.score} is below {threshold}",
            )
            for proposal in proposals
        ),
    )
    return len(proposals)
