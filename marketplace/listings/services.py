"""Writes to the listings: kept in step with the integrations (signals.py calls these), and the
one action through which the scoring app sets an integration's score and visibility."""

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from integrations.models import Category, ForeignObjectLink, Integration
from marketplace.listings.documents import VECTOR, search_document
from marketplace.listings.models import Listing, Visibility
from portal.services import ActionRefused, record

SEARCH_COLUMNS = ["search_title", "search_parties", "search_terms", "search_body"]


def ensure_listing(integration: Integration) -> Listing:
    """Every integration has its listing, listed and unscored until the scoring app says otherwise."""
    listing, created = Listing.objects.get_or_create(integration=integration)
    if created:
        refresh_search_documents([integration.pk])
    return listing


def _documents(integration_ids: list[int]) -> dict[int, dict[str, str]]:
    integrations = (
        Integration.objects.filter(pk__in=integration_ids)
        .select_related("application__provider", "owner")
        .prefetch_related("scopes")
    )
    collections: dict[int, list[str]] = {}
    links = ForeignObjectLink.objects.filter(foreign_object__integration__in=integration_ids)
    for integration_id, name in links.values_list("foreign_object__integration", "collection__name"):
        collections.setdefault(integration_id, []).append(name)
    return {
        integration.pk: search_document(
            name=integration.name,
            application=integration.application.name,
            provider=integration.application.provider.name,
            owner=integration.owner.name,
            category=Category(integration.application.category).label,
            description=integration.description,
            features=integration.features,
            scopes=[scope.name for scope in integration.scopes.all()],
            collections=sorted(set(collections.get(integration.pk, []))),
        )
        for integration in integrations
    }


def refresh_search_documents(integration_ids: Iterable[int]) -> None:
    """Copies what the listings are found by from their integrations, and rebuilds the PostgreSQL
    search vector from it in one UPDATE; a fixed number of queries however many integrations."""
    ids = list(set(integration_ids))
    if not ids:
        return
    documents = _documents(ids)
    listings = list(Listing.objects.filter(integration_id__in=documents))
    for listing in listings:
        for column, text in documents[listing.integration_id].items():
            setattr(listing, column, text)
    Listing.objects.bulk_update(listings, SEARCH_COLUMNS)
    if connection.vendor == "postgresql":
        Listing.objects.filter(pk__in=[listing.pk for listing in listings]).update(search_vector=VECTOR)


def set_score_and_visibility(integration: Integration, *, score: int | None, visibility: str, cause: str) -> Listing:
    """What the scoring app calls after each run: the integration's current score and whether the
    marketplace lists it, hides it from search (noindex) or has delisted it. Safe to call twice."""
    if visibility not in Visibility.values:
        raise ActionRefused(f"“{visibility}” is not a visibility.")
    if score is not None and not 0 <= score <= 100:
        raise ActionRefused("A score is between 0 and 100.")
    ensure_listing(integration)
    with transaction.atomic():
        listing = Listing.objects.select_for_update().select_related("integration__owner").get(integration=integration)
        before = listing.visibility
        listing.score, listing.visibility, listing.scored_at = score, visibility, timezone.now()
        listing.save(update_fields=["score", "visibility", "scored_at"])
        if before != visibility:
            record(
                actor=None,
                kind="listing.visibility_changed",
                organization=listing.integration.owner,
                target=listing,
                target_label=listing.integration.name,
                within=listing.integration,
                from_state=Visibility(before).label,
                to_state=Visibility(visibility).label,
                comment=cause,
            )
    return listing
