"""Writes to the listings: kept in step with the integrations (signals.py calls these), and the
one action through which the scoring app sets an integration's score and visibility."""

from collections.abc import Iterable, Mapping

from django.db import connection, transaction
from django.utils import timezone

from integrations.models import Category, ForeignObjectLink, Integration
from marketplace.listings.documents import VECTOR, search_document
from marketplace.listings.models import Listing, SearchDocument, Visibility
from portal import page_cache
from portal.services import ActionRefused, Change, record, record_changes

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
    """Copies what the listings are found by from their integrations into their search documents
    (made if missing), and rebuilds the PostgreSQL search vector from it in one UPDATE; a fixed
    number of queries however many integrations."""
    ids = list(set(integration_ids))
    if not ids:
        return
    documents = _documents(ids)
    listings = dict(Listing.objects.filter(integration_id__in=documents).values_list("integration_id", "pk"))
    SearchDocument.objects.bulk_create(
        [SearchDocument(listing_id=listings[pk], **documents[pk]) for pk in listings],
        update_conflicts=True,
        unique_fields=["listing"],
        update_fields=SEARCH_COLUMNS,
    )
    if connection.vendor == "postgresql":
        SearchDocument.objects.filter(listing_id__in=listings.values()).update(search_vector=VECTOR)


def set_score_and_visibility(integration: Integration, *, score: int | None, visibility: str, cause: str) -> Listing:
    """One integration's score and visibility (set_scores_and_visibility for one)."""
    set_scores_and_visibility({integration.pk: (score, visibility, cause)})
    return Listing.objects.get(integration=integration)


def _refuse_bad(scores: Mapping[int, tuple[int | None, str, str]]) -> None:
    visibilities = set(Visibility.values)  # the enum's values are a new list at each reading
    for score, visibility, _ in scores.values():
        if visibility not in visibilities:
            raise ActionRefused(f"“{visibility}” is not a visibility.")
        if score is not None and not 0 <= score <= 100:
            raise ActionRefused("A score is between 0 and 100.")


def _create_listings(integration_ids: set[int]) -> None:
    Listing.objects.bulk_create([Listing(integration_id=pk) for pk in integration_ids], ignore_conflicts=True)
    refresh_search_documents(integration_ids)


def _locked_rows(integration_ids: Iterable[int]) -> list[tuple[int, int, str, int | None]]:
    """(listing id, integration id, visibility, score) of these integrations' listings, locked. Only
    those: a run scores every listing, and building 10,000 listings with their integrations and
    owners took seconds; the changed ones are read whole for their audit rows. On PostgreSQL the
    ids go as one array: 10,000 of them as an IN list cost more to build and bind than the query."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, integration_id, visibility, score FROM marketplace_listing WHERE integration_id = ANY(%s)"
                " ORDER BY id FOR UPDATE",
                [list(integration_ids)],
            )
            return cursor.fetchall()
    return list(
        Listing.objects.select_for_update()
        .filter(integration_id__in=integration_ids)
        .order_by("pk")
        .values_list("pk", "integration_id", "visibility", "score")
    )


def set_scores_and_visibility(
    scores: Mapping[int, tuple[int | None, str, str]], *, keep_delisted: bool = False
) -> dict[int, str]:
    """What the scoring app calls after each run: {integration id: (score, visibility, cause)},
    the current score and whether the marketplace lists the integration, hides it from search
    (noindex) or has delisted it. With keep_delisted a listing staff delisted stays delisted and
    only gets its score. A fixed number of queries however many listings, one audit row per
    visibility that changed; answers each listing's visibility now. Safe to call twice."""
    _refuse_bad(scores)
    with transaction.atomic():
        rows = _locked_rows(scores)
        missing = set(scores) - {row[1] for row in rows}
        if missing:  # every integration has its listing (signals.py); one made just now may not yet
            _create_listings(missing)
            rows = _locked_rows(scores)
        now, written, changed, visibilities = timezone.now(), [], {}, {}
        for pk, integration_id, was, score_was in rows:
            score, visibility, cause = scores[integration_id]
            if keep_delisted and was == Visibility.DELISTED:
                visibility = Visibility.DELISTED
            if was != visibility:
                changed[pk] = (visibility, cause)
            # Only what changes is written: each listing written is a new row version in every
            # index, two of them full-text, and most scores stay the same from one night to the next.
            if (score_was, was) != (score, visibility):
                written.append((pk, integration_id, score, visibility))
            visibilities[integration_id] = visibility
        changes = _visibility_changes(changed)  # read before the write: they say what it was
        _save_scores(written, now)
        record_changes("listing.visibility_changed", Listing, Integration, changes)
        if written:  # without the ORM's signals: the public pages and filter counts must be told
            page_cache.content_changed()
    return visibilities


def _visibility_changes(changed: dict[int, tuple[str, str]]) -> list[Change]:
    """The audit rows of {listing id: (visibility, cause)}, from the listings as they are."""
    if not changed:
        return []
    listings = (
        Listing.objects.filter(pk__in=changed)
        .order_by("pk")
        .values_list(
            "pk",
            "visibility",
            "integration_id",
            "integration__name",
            "integration__owner_id",
            "integration__owner__name",
        )
    )
    return [
        Change(
            organization_id=owner_id,
            organization_name=owner_name,
            target_id=pk,
            target_label=name,
            within_id=integration_id,
            within_label=name,
            from_state=Visibility(was).label,
            to_state=Visibility(changed[pk][0]).label,
            comment=changed[pk][1],
        )
        for pk, was, integration_id, name, owner_id, owner_name in listings
    ]


def _save_scores(written: list[tuple[int, int, int | None, str]], now) -> None:
    """(listing id, integration id, score, visibility) rows."""
    if connection.vendor != "postgresql":
        listings = [
            Listing(pk=pk, score=score, visibility=visibility, scored_at=now) for pk, _, score, visibility in written
        ]
        Listing.objects.bulk_update(listings, ["score", "visibility", "scored_at"], batch_size=500)
        return
    # One statement for every listing: bulk_update's CASE per row costs seconds at 10,000 rows.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE marketplace_listing AS listing SET score = given.score, visibility = given.visibility,"
            " scored_at = %s FROM unnest(%s::bigint[], %s::int[], %s::text[]) AS given(id, score, visibility)"
            " WHERE listing.id = given.id",
            [now, [row[0] for row in written], [row[2] for row in written], [row[3] for row in written]],
        )


def delist(integration: Integration, *, acting_user, reason: str) -> Listing:
    """Staff remove the integration from the marketplace: its page says it is no longer offered,
    nobody new subscribes, and its subscribers keep their subscriptions. Later runs keep it delisted."""
    ensure_listing(integration)
    with transaction.atomic():
        listing = Listing.objects.select_for_update().select_related("integration__owner").get(integration=integration)
        before = listing.visibility
        if before == Visibility.DELISTED:
            return listing
        listing.visibility = Visibility.DELISTED
        listing.save(update_fields=["visibility"])
        record(
            actor=acting_user,
            kind="listing.visibility_changed",
            organization=listing.integration.owner,
            target=listing,
            target_label=listing.integration.name,
            within=listing.integration,
            from_state=Visibility(before).label,
            to_state=Visibility.DELISTED.label,
            comment=reason[:500],
        )
    return listing
