"""Every model of the marketplace app, re-exported from the capability that owns it."""

from marketplace.listings.models import Listing, ListingQuerySet, Visibility

__all__ = ["Listing", "ListingQuerySet", "Visibility"]
