"""Browse and search the marketplace: public, every state in the query string."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from marketplace.browse import selectors
from marketplace.browse.forms import MarketplaceSearchForm, Sort
from marketplace.seo import absolute_url
from portal.page_cache import cached_for_visitors

LISTINGS_PER_PAGE = 24


@login_not_required
@require_GET
@cached_for_visitors
def marketplace_index(request):
    form = MarketplaceSearchForm(request.GET)
    criteria = form.criteria()
    facets = selectors.facets(criteria)
    paginator = Paginator(selectors.search_ids(criteria), LISTINGS_PER_PAGE)
    paginator.count = selectors.result_count(criteria, facets)  # known from the filter counts
    # get_page answers any page parameter: not a number means the first page, too far the last.
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.cards(list(page.object_list))
    context = {
        "criteria": criteria,
        "page": page,
        "facets": facets,
        "sorts": Sort.CHOICES,
        # Searches and filters are noindex; each page of the plain listing is its own canonical address.
        "canonical_url": absolute_url(
            reverse("marketplace_index") + (f"?page={page.number}" if page.number > 1 else "")
        ),
    }
    return render(request, "marketplace/index.html", context)
