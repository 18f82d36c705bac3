"""The filter counts of the marketplace, kept in the cache until a listing changes.

Every visitor asking the same question gets the same counts, and computing them costs a query per
filter over every listing (each 70-120 ms at 10,000 integrations). They are kept under a
generation token that any change to what they count (a listing, an integration, an application,
a data collection link) replaces, so a change shows at once; FACETS_SECONDS bounds what a change
made outside the ORM's signals (a bulk update) could leave stale."""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

from portal import page_cache

GENERATION_KEY = "marketplace:facets:generation"
FACETS_SECONDS = 300


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY) or "uncached"
    return generation


def cached_facets(criteria, compute: Callable[[], list]) -> list:
    """The facets of `criteria` (the sort does not change them), computed once per generation."""
    if (generation := _generation()) == "uncached":  # the cache is away: compute every time
        return compute()
    question = repr(dataclasses.replace(criteria, sort=""))
    key = f"marketplace:facets:{generation}:{hashlib.sha256(question.encode()).hexdigest()}"
    facets = cache.get(key)
    if facets is None:
        facets = compute()
        cache.set(key, facets, FACETS_SECONDS)
    return facets


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def counts_changed(sender=None, **kwargs) -> None:
    """A signal receiver: what the counts count changed. Replaced now and again once the change is
    committed, so a request that read the old rows meanwhile cannot keep its counts."""
    _new_generation()
    transaction.on_commit(_new_generation)
    page_cache.content_changed()  # what changes the counts changes the pages that show them
