"""What search engines and link previews read: absolute canonical addresses, the sitemap of listed
integrations and robots.txt."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from marketplace.listings.models import Listing

# What crawlers may skip: pages behind sign-in and the machinery (they answer a sign-in page anyway).
DISALLOWED = ["/accounts/", "/admin/", "/organization/", "/organizations/", "/integrations/", "/provider/"]


def absolute_url(path: str) -> str:
    """The portal's public address for a path: SITE_URL, never the Host header a request came with."""
    return settings.SITE_URL.rstrip("/") + path


class ListedIntegrationSitemap(Sitemap):
    """Listed integrations only: hidden ones are noindex, delisted ones are gone."""

    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Listing.objects.searchable().select_related("integration").order_by("integration__slug")

    def location(self, listing: Listing) -> str:
        return reverse("listing_detail", args=[listing.integration.slug])

    def lastmod(self, listing: Listing):
        return listing.integration.updated_at

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"


class MarketplaceIndexSitemap(ListedIntegrationSitemap):
    changefreq = "daily"

    def items(self):
        return ["marketplace_index"]

    def location(self, name: str) -> str:
        return reverse(name)

    def lastmod(self, name: str):
        return None


SITEMAPS = {"marketplace": MarketplaceIndexSitemap, "integrations": ListedIntegrationSitemap}


@login_not_required
@require_GET
def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS)


@login_not_required
@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines.append(f"Sitemap: {absolute_url(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
