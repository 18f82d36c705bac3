"""The marketplace listing: one row per integration, holding what the marketplace alone decides about
it (its visibility and the score the scoring app writes); and its search document, in a row of its
own."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from integrations.models import Integration, Tier


class Visibility(models.TextChoices):
    LISTED = "listed", "Listed"
    HIDDEN = "hidden", "Hidden from search"  # the page stays reachable, marked noindex
    DELISTED = "delisted", "Delisted"  # removed from the marketplace by staff


class ListingQuerySet(models.QuerySet):
    def on_marketplace(self) -> "ListingQuerySet":
        """Listings whose page a visitor may open: Compatible or above and not delisted."""
        return self.filter(integration__tier__gte=Tier.COMPATIBLE).exclude(visibility=Visibility.DELISTED)

    def searchable(self) -> "ListingQuerySet":
        """What search, the listing and the sitemap show."""
        return self.on_marketplace().filter(visibility=Visibility.LISTED)


class Listing(models.Model):
    integration = models.OneToOneField(Integration, on_delete=models.CASCADE, related_name="listing")
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.LISTED)
    # Written by the scoring app through services.set_score_and_visibility; None until its first run.
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    # When a run last changed the score or the visibility (a run leaves an unchanged listing alone).
    scored_at = models.DateTimeField(null=True, blank=True)
    # The public reviews' count and average stars, kept by reviews.ratings.refresh_rating in the
    # transaction that changes a review, so that cards and the rating sort read no review row.
    # (db_default: rows written by code that predates these columns, e.g. an earlier data migration.)
    rating_count = models.PositiveIntegerField(db_default=0, default=0, editable=False)
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, db_default=0, default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["integration__name"]
        indexes = [
            models.Index(fields=["-rating_average", "-rating_count"], name="listing_by_rating"),
            # The listing and every search join each listed listing to its integration to sort
            # them: read from this index alone, not from the rows (PostgreSQL; SQLite keeps the
            # index without the included columns).
            models.Index(
                fields=["integration"],
                include=["id", "score"],
                condition=models.Q(visibility="listed"),
                name="listed_listing_sorts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.integration} ({self.get_visibility_display().lower()})"

    @property
    def is_hidden(self) -> bool:
        return self.visibility == Visibility.HIDDEN


class SearchDocument(models.Model):
    """What a listing is found by, copied from the integration, its application, provider and
    scopes by services.refresh_search_documents (never the partner brief or the discovery notes).
    A row of its own: the listing's row is rewritten by every scoring run and rating, and with the
    document in it each rewrite copied a few KB and added entries to both full-text indexes (a
    first scoring run over 10,000 listings spent 0.25 s on them)."""

    listing = models.OneToOneField(Listing, on_delete=models.CASCADE, primary_key=True, related_name="document")
    search_title = models.CharField(max_length=400, blank=True, editable=False)
    search_parties = models.CharField(max_length=400, blank=True, editable=False)
    search_terms = models.TextField(blank=True, editable=False)
    search_body = models.TextField(blank=True, editable=False)
    # PostgreSQL only (GIN-indexed by migration 0009); stays empty on SQLite, where search matches the text.
    search_vector = SearchVectorField(null=True, editable=False)

    def __str__(self) -> str:
        return f"Search document of {self.listing_id}"
