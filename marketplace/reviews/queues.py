"""The marketplace's staff queues, handed to the portal's admin home and daily digest
(portal.staff_queues) from MarketplaceConfig.ready: disputes of negative reviews waiting for a
decision, and reviews whose flags wait (one item per review: its flags are decided together)."""

from django.db.models import QuerySet

from marketplace.reviews.models import Dispute, DisputeStatus, Review
from portal.staff_queues import StaffQueue, register_queue


def waiting_disputes() -> QuerySet[Dispute]:
    return Dispute.objects.filter(status=DisputeStatus.PENDING).select_related("review__integration")


def flagged_reviews() -> QuerySet[Review]:
    return Review.objects.flagged().select_related("integration", "organization")


def register_queues() -> None:
    register_queue(
        StaffQueue.in_admin(
            Dispute,
            key="review_disputes",
            name="Review disputes",
            waiting=waiting_disputes,
            since_field="raised_at",
            list_query=f"status__exact={DisputeStatus.PENDING}",
        )
    )
    register_queue(
        StaffQueue.in_admin(
            Review,
            key="review_flags",
            name="Flagged reviews",
            waiting=flagged_reviews,
            since_field="flagged_at",
            list_query="flags=waiting",
        )
    )
