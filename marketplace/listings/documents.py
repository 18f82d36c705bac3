"""The text a listing is found by, and the weighted PostgreSQL search vector built from it.

Kept free of the models' managers so the data migration that fills the first listings builds the
same document from historical models."""

from django.contrib.postgres.search import SearchVector

CONFIG = "english"

# Weights: the names people type first rank highest, then who makes it and what it handles.
VECTOR = (
    SearchVector("search_title", weight="A", config=CONFIG)
    + SearchVector("search_parties", weight="B", config=CONFIG)
    + SearchVector("search_terms", weight="B", config=CONFIG)
    + SearchVector("search_body", weight="C", config=CONFIG)
)


def search_document(
    *,
    name: str,
    application: str,
    provider: str,
    owner: str,
    category: str,
    description: str,
    features: str,
    scopes: list[str],
    collections: list[str],
) -> dict[str, str]:
    """The listing's search columns. Webhook scopes are split on "/" and "." as well, so that
    "customer/created" is found by "customer" and by "created"."""
    scope_words = [scope.replace("/", " ").replace(".", " ") for scope in scopes]
    return {
        "search_title": f"{name} {application}"[:400],
        "search_parties": " ".join(dict.fromkeys([provider, owner]))[:400],
        "search_terms": " ".join([category, *collections, *scopes, *scope_words]),
        "search_body": f"{description}\n{features}",
    }
