"""An integration's marketplace page: public, and as full as its tier allows."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from integrations.models import Tier
from marketplace.access import delisted_listing, get_listing_for_view, reads_partner_briefs
from marketplace.detail import selectors
from marketplace.detail.sections import sections_for
from marketplace.seo import absolute_url
from portal.page_cache import cached_for_visitors


@login_not_required
@require_GET
@cached_for_visitors
def listing_detail(request, slug):
    try:
        listing = get_listing_for_view(slug)
    except Http404:
        gone = delisted_listing(slug)
        if gone is None:
            raise
        # Staff removed it: the page stays to say so (subscribers keep their subscriptions).
        context = {"listing": gone, "integration": gone.integration}
        return render(request, "marketplace/delisted.html", context, status=410)
    integration = listing.integration
    versions = selectors.published_versions(integration)
    certified = integration.tier >= Tier.CERTIFIED
    next_tier, needs = selectors.next_tier_needs(integration, versions)
    context = {
        "listing": listing,
        "integration": integration,
        "certified": certified,
        "matrix": selectors.compatibility_matrix(integration, versions),
        "next_tier": next_tier,
        "needs": needs,
        "owner": selectors.owner_profile(integration) if certified else None,
        "associations": selectors.integrators(integration) if certified else [],
        "certification": selectors.latest_certification(integration) if certified else None,
        "shows_partner_brief": reads_partner_briefs(request.organization),
        "sections": sections_for(request, listing),
        "canonical_url": absolute_url(reverse("listing_detail", args=[integration.slug])),
        "logo_url": _logo_url(integration),
    }
    return render(request, "marketplace/detail.html", context)


@login_not_required
@require_GET
def certified_integration_redirect(request, slug):
    """The address of the Certified integration page that certification once served on its own:
    one public page per integration, so links and bookmarks move to the marketplace's for good."""
    return HttpResponsePermanentRedirect(reverse("listing_detail", args=[slug]))


def _logo_url(integration) -> str:
    """The application logo's absolute address for link previews (a bucket's URL already is one)."""
    logo = integration.application.logo
    if not logo:
        return ""
    return absolute_url(logo.url) if logo.url.startswith("/") else logo.url
