"""An integration's rating on its listing: the number of public reviews and their average stars.

Stored on the Listing rather than counted per page, so that the cards and the rating sort cost the
same whatever the number of reviews (an index serves the sort). Every action that changes which
stars count calls refresh_rating in its own transaction."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, DecimalField, FloatField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Round

from marketplace.listings.models import Listing
from marketplace.reviews.models import Review
from portal import page_cache

TWO_PLACES = Decimal("0.01")


def average(total: int | None, count: int) -> Decimal:
    if not count:
        return Decimal(0)
    return (Decimal(total or 0) / count).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def refresh_rating(integration_id: int) -> None:
    """Counts the integration's public reviews again and stores the figures on its listing.

    Call inside the transaction that changed the review. The listing row is locked first, so two
    reviews written at once are counted one after the other: the second count starts once the
    first has committed and so sees both (PostgreSQL's read committed takes a fresh snapshot for
    the statement after the lock)."""
    listing = Listing.objects.select_for_update().filter(integration_id=integration_id).only("pk").first()
    if listing is None:
        return
    figures = (
        Review.objects.public().filter(integration_id=integration_id).aggregate(count=Count("pk"), total=Sum("stars"))
    )
    Listing.objects.filter(pk=listing.pk).update(
        rating_count=figures["count"], rating_average=average(figures["total"], figures["count"])
    )
    page_cache.content_changed()  # an UPDATE sends no signal


def refresh_all_ratings() -> None:
    """Every listing's figures counted again in one UPDATE: for data written in bulk (the scale
    world's million reviews), where calling refresh_rating per integration would cost a query each."""
    public = Review.objects.public().filter(integration_id=OuterRef("integration_id")).order_by()
    per_integration = public.values("integration_id")
    count = per_integration.annotate(n=Count("pk")).values("n")
    mean = per_integration.annotate(m=Avg("stars")).values("m")
    two_places = DecimalField(max_digits=3, decimal_places=2)
    Listing.objects.update(
        rating_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        rating_average=Coalesce(
            Cast(Round(Subquery(mean, output_field=FloatField()), 2), two_places),
            Value(Decimal(0)),
            output_field=two_places,
        ),
    )
    page_cache.content_changed()
