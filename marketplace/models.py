"""Every model of the marketplace app, re-exported from the capability that owns it."""

from marketplace.listings.models import Listing, ListingQuerySet, SearchDocument, Visibility
from marketplace.reviews.models import Dispute, DisputeStatus, Review, ReviewFlag, ReviewRevision
from marketplace.subscriptions.models import CancellationReason, Subscription, SubscriptionQuerySet

__all__ = [
    "CancellationReason",
    "Dispute",
    "DisputeStatus",
    "Listing",
    "ListingQuerySet",
    "Review",
    "ReviewFlag",
    "ReviewRevision",
    "SearchDocument",
    "Subscription",
    "SubscriptionQuerySet",
    "Visibility",
]
