"""The marketplace's reads: the listings a query string asks for, in its order, and the count of
listings behind each filter option. A fixed number of queries whatever the number of listings."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Value, When

from integrations.models import Category, Tier
from marketplace.browse.facet_cache import cached_facets
from marketplace.browse.forms import EVENT_SERVICES, HOSTING, MONTHLY_LIMITS, TIER_LABELS, TIER_SLUGS, Criteria, Sort
from marketplace.listings.documents import CONFIG
from marketplace.listings.models import Listing

# word_similarity of the query to the closest run of words in the title; 0.3 keeps one swapped or
# missing letter ("magneto" finds Magento) without matching unrelated short words.
SIMILARITY_THRESHOLD = 0.3
MAX_WORDS = 8
APPLICATION_OPTIONS = 20  # the most frequent applications; the rest are found by searching
TEXT_COLUMNS = ("search_title", "search_parties", "search_terms", "search_body")  # of the listing's document


def uses_postgresql_search() -> bool:
    return connection.vendor == "postgresql"


def set_similarity_threshold(sender, connection, **kwargs) -> None:
    """connection_created: the word similarity the trigram operator accepts (pg_trgm's default,
    0.6, would not find "magneto")."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(SIMILARITY_THRESHOLD)]
            )


def _text_match(listings: QuerySet[Listing], q: str) -> QuerySet[Listing]:
    if not q:
        return listings
    if uses_postgresql_search():
        query = SearchQuery(q, search_type="websearch", config=CONFIG)
        listings = listings.annotate(
            similarity=TrigramWordSimilarity(q, "document__search_title"),
            text_rank=SearchRank(F("document__search_vector"), query),
        )
        # The operator (threshold: SIMILARITY_THRESHOLD, set on each connection by
        # set_similarity_threshold) rather than the function compared: the trigram index finds the
        # titles, instead of computing the similarity of every listing's.
        return listings.filter(Q(document__search_vector=query) | Q(document__search_title__trigram_word_similar=q))
    # SQLite (make run): every word must appear somewhere in the document.
    for word in q.split()[:MAX_WORDS]:
        anywhere = Q()
        for column in TEXT_COLUMNS:
            anywhere |= Q(**{f"document__{column}__icontains": word})
        listings = listings.filter(anywhere)
    return listings.annotate(
        similarity=Case(
            When(document__search_title__icontains=q, then=Value(1.0)), default=Value(0.0), output_field=FloatField()
        ),
        text_rank=Value(0.0, output_field=FloatField()),
    )


def _price(criteria: Criteria) -> Q:
    condition = Q()
    if criteria.free_setup:
        condition &= Q(integration__price_up_front=0)
    if criteria.monthly:
        condition &= Q(integration__price_per_month__lt=MONTHLY_LIMITS[criteria.monthly])
    return condition


def _conditions(criteria: Criteria) -> dict[str, Q]:
    """Each filter group's condition, by group, so that a group's counts can leave its own out."""
    flags = Q()
    for key in criteria.hosting:
        flags &= Q(**{f"integration__{HOSTING[key][0]}": True})
    events = Q()
    for key in criteria.events:
        events &= Q(**{f"integration__{EVENT_SERVICES[key][0]}": True})
    collections = Q()
    for key in criteria.collections:  # each its own subquery: one integration supporting them all
        supporting = Listing.objects.filter(integration__foreign_objects__link__collection__key=key)
        collections &= Q(pk__in=supporting.values("pk"))
    return {
        "tier": Q(integration__tier__in=criteria.tiers) if criteria.tiers else Q(),
        "application": Q(integration__application__slug__in=criteria.applications) if criteria.applications else Q(),
        "category": Q(integration__application__category__in=criteria.categories) if criteria.categories else Q(),
        "hosting": flags,
        "event": events,
        "collection": collections,
        "price": _price(criteria),
        "one_click": Q(integration__tier=Tier.ONE_CLICK) if criteria.one_click else Q(),
    }


def _matching(criteria: Criteria, *, leave_out: str = "") -> QuerySet[Listing]:
    listings = _text_match(Listing.objects.searchable(), criteria.q)
    for group, condition in _conditions(criteria).items():
        if group != leave_out and condition:
            listings = listings.filter(condition)
    return listings


def _ordering(criteria: Criteria) -> list:
    by_name = ["integration__name", "pk"]
    score = F("score").desc(nulls_last=True)
    if criteria.sort == Sort.RELEVANCE and criteria.q:
        return [(F("text_rank") + F("similarity")).desc(), "-integration__tier", *by_name]
    if criteria.sort == Sort.RATING:  # served by the listing_by_rating index; unrated listings last
        return ["-rating_average", "-rating_count", *by_name]
    if criteria.sort == Sort.NEWEST:
        return ["-integration__created_at", *by_name]
    if criteria.sort == Sort.PRICE:
        return ["integration__price_per_month", "integration__price_up_front", *by_name]
    return [score, "-integration__tier", *by_name]


def search(criteria: Criteria) -> QuerySet[Listing]:
    """The listings to show as cards, in the order asked for."""
    return (
        _matching(criteria)
        .select_related("integration__application__provider", "integration__owner")
        .order_by(*_ordering(criteria))
    )


def search_ids(criteria: Criteria):
    """The ids of search()'s listings, in its order: what a page of results is cut from. Sorting
    every matching listing costs far less on ids than on whole rows of five tables (500 ms at
    10,000 integrations); cards() then reads the page's rows."""
    return _matching(criteria).order_by(*_ordering(criteria)).values_list("pk", flat=True)


# What marketplace/_listing_card.html shows, and no more: an integration row holds its partner
# brief and private notes, which a page of cards would otherwise read, send and decode 24 times.
CARD_FIELDS = (
    "rating_count",
    "rating_average",
    "integration__public_id",
    "integration__slug",
    "integration__name",
    "integration__description",
    "integration__tier",
    "integration__price_up_front",
    "integration__price_per_month",
    "integration__application__name",
    "integration__application__logo",
    "integration__application__logo_small",
    "integration__application__provider__name",
)


def cards(ids: list[int]) -> list[Listing]:
    """The listings of `ids`, in that order, with what a card shows."""
    by_pk = Listing.objects.select_related("integration__application__provider").only(*CARD_FIELDS).in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str  # the query-string parameter
    legend: str
    options: list[Option]
    multiple: bool = True  # checkboxes; else radio buttons

    @property
    def chosen(self) -> bool:
        return any(option.selected for option in self.options)


def _grouped(criteria: Criteria, group: str, field: str) -> dict:
    rows = _matching(criteria, leave_out=group).order_by().values(field).annotate(n=Count("pk", distinct=True))
    return {row[field]: row["n"] for row in rows}


def _tier_facet(criteria: Criteria) -> Facet:
    counts = _grouped(criteria, "tier", "integration__tier")
    options = [
        Option(slug, TIER_LABELS[tier], counts.get(tier, 0), tier in criteria.tiers)
        for slug, tier in TIER_SLUGS.items()
    ]
    return Facet("tier", "Tier", options)


def _application_facet(criteria: Criteria) -> Facet:
    rows = (
        _matching(criteria, leave_out="application")
        .order_by()
        .values("integration__application__slug", "integration__application__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "integration__application__name")[:APPLICATION_OPTIONS]
    )
    options = [
        Option(
            row["integration__application__slug"],
            row["integration__application__name"],
            row["n"],
            row["integration__application__slug"] in criteria.applications,
        )
        for row in rows
    ]
    return Facet("application", "Application", options)


def _category_facet(criteria: Criteria) -> Facet:
    counts = _grouped(criteria, "category", "integration__application__category")
    options = [
        Option(value, label, counts[value], value in criteria.categories)
        for value, label in Category.choices
        if counts.get(value) or value in criteria.categories
    ]
    return Facet("category", "Application category", options)


def _collection_facet(criteria: Criteria) -> Facet:
    rows = (
        _matching(criteria, leave_out="collection")
        .filter(integration__foreign_objects__link__isnull=False)
        .order_by()
        .values(
            "integration__foreign_objects__link__collection__key",
            "integration__foreign_objects__link__collection__name",
            "integration__foreign_objects__link__collection__position",
        )
        .annotate(n=Count("pk", distinct=True))
        .order_by("integration__foreign_objects__link__collection__position")
    )
    prefix = "integration__foreign_objects__link__collection__"
    options = [
        Option(row[prefix + "key"], row[prefix + "name"], row["n"], row[prefix + "key"] in criteria.collections)
        for row in rows
    ]
    return Facet("collection", "Data collection supported", options)


def _flag_facet(criteria: Criteria, group: str, legend: str, flags: dict, chosen: list[str]) -> Facet:
    counts = _matching(criteria, leave_out=group).aggregate(
        **{
            key: Count("pk", distinct=True, filter=Q(**{f"integration__{column}": True}))
            for key, (column, _) in flags.items()
        }
    )
    options = [Option(key, label, counts[key], key in chosen) for key, (_, label) in flags.items()]
    return Facet(group, legend, options)


def _price_facets(criteria: Criteria) -> list[Facet]:
    limits = {f"under_{key}": Q(integration__price_per_month__lt=limit) for key, limit in MONTHLY_LIMITS.items()}
    counts = _matching(criteria, leave_out="price").aggregate(
        free=Count("pk", distinct=True, filter=Q(integration__price_up_front=0)),
        **{key: Count("pk", distinct=True, filter=condition) for key, condition in limits.items()},
    )
    monthly = [
        Option(key, f"Under ${limit} a month", counts[f"under_{key}"], criteria.monthly == key)
        for key, limit in MONTHLY_LIMITS.items()
    ]
    return [
        Facet("free_setup", "Setup price", [Option("on", "Free setup", counts["free"], criteria.free_setup)]),
        Facet("monthly", "Monthly price", monthly, multiple=False),
    ]


def facets(criteria: Criteria) -> list[Facet]:
    """Every filter with the number of listings each option would show, the other filters applied
    (from the cache while no listing changed)."""
    return cached_facets(criteria, lambda: _facets(criteria))


def result_count(criteria: Criteria, facets: list[Facet]) -> int:
    """How many listings match `criteria`, read off its tier filter's counts rather than counted
    again (one scan of every matching listing less, 15-30 ms at 10,000 integrations). Every
    listing on the marketplace has exactly one of the tiers offered, and those counts apply every
    filter but the tier's own, so the chosen tiers' counts (all of them when none is chosen) add
    up to the matching listings."""
    tiers = next(facet for facet in facets if facet.name == "tier")
    return sum(option.count for option in tiers.options if option.selected or not criteria.tiers)


def _facets(criteria: Criteria) -> list[Facet]:
    one_click = _matching(criteria, leave_out="one_click").filter(integration__tier=Tier.ONE_CLICK).count()
    return [
        _tier_facet(criteria),
        Facet("one_click", "One-Click", [Option("on", "One-Click only", one_click, criteria.one_click)]),
        _application_facet(criteria),
        _category_facet(criteria),
        _flag_facet(criteria, "hosting", "Hosting model", HOSTING, criteria.hosting),
        _flag_facet(criteria, "event", "Event service", EVENT_SERVICES, criteria.events),
        _collection_facet(criteria),
        *_price_facets(criteria),
    ]
