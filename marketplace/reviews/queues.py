"""The marketplace's staff queues, handed to the portal's admin home and daily digest
(portal.staff_queues) from MarketplaceConfig.ready: disputes of negative reviews waiting for a
decision, and reviews whose flags wait (one item per review: its flags are decided together)."""

from django.db.models import QuerySet
from django.urls import reverse

from marketplace.reviews.models import Dispute, DisputeStatus, Review
from portal.staff_queues import StaffQueue, register_queue


def waiting_disputes() -> QuerySet[Dispute]:
    return Dispute.objects.filter(status=DisputeStatus.PENDING).select_related("review__integration")


def flagged_reviews() -> QuerySet[Review]:
    return Review.objects.flagged().select_related("integration", "organization")


def register_queues() -> None:
    register_queue(
        StaffQueue(
            key="review_disputes",
            name="Review disputes",
            waiting=waiting_disputes,
            since_field="raised_at",
            list_url_name="admin:marketplace_dispute_changelist",
            list_query=f"status__exact={DisputeStatus.PENDING}",
            decision_url=lambda item: reverse("admin:marketplace_dispute_change", args=[item.pk]),
            permission="marketplace.view_dispute",
        )
    )

    register_queue(
        StaffQueue(
            key="review_flags",
            name="Flagged reviews",
            waiting=flagged_reviews,
            since_field="flagged_at",
            list_url_name="admin:marketplace_review_changelist",
            list_query="flags=waiting",
            decision_url=lambda item: reverse("admin:marketplace_review_change", args=[item.pk]),
            permission="marketplace.view_review",
        )
    )
