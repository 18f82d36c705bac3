"""The marketplace's staff queue: disputes of negative reviews waiting for a decision, handed to
the portal's admin home and daily digest (portal.staff_queues) from MarketplaceConfig.ready.
Review flags are listed in the admin but have no decision to make, so they are not a queue."""

from django.db.models import QuerySet
from django.urls import reverse

from marketplace.reviews.models import Dispute, DisputeStatus
from portal.staff_queues import StaffQueue, register_queue


def waiting_disputes() -> QuerySet[Dispute]:
    return Dispute.objects.filter(status=DisputeStatus.PENDING).select_related("review__integration")


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
