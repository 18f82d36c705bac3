"""The filter counts of the marketplace, kept until public content changes.

Every visitor asking the same question gets the same counts, and computing them costs a query per
filter over every listing (each 70-120 ms at 10,000 integrations). They are kept under the public
pages' generation (portal.page_cache), which any change to what they count (a listing, an
integration, an application, a data collection link) replaces, so a change shows at once;
FACETS_SECONDS bounds what a change made outside the ORM's signals could leave stale."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from portal import page_cache

FACETS_SECONDS = 300


def cached_facets(criteria, compute: Callable[[], list]) -> list:
    """The facets of `criteria` (the sort does not change them), computed once per generation."""
    return page_cache.kept("marketplace:facets", repr(dataclasses.replace(criteria, sort="")), compute, FACETS_SECONDS)
