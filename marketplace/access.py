"""The marketplace's access helpers: what a visitor may open, and who reads the partner brief."""

from django.http import Http404

from marketplace.listings.models import Listing
from portal.models import Organization


def get_listing_for_view(slug: str) -> Listing:
    """A listing on the marketplace (Compatible or above, not delisted); a hidden one is still served, noindex."""
    try:
        return (
            Listing.objects.on_marketplace()
            .select_related("integration__application__provider", "integration__owner")
            .get(integration__slug=slug)
        )
    except Listing.DoesNotExist as exc:
        raise Http404("No such integration on the marketplace") from exc


def reads_partner_briefs(organization: Organization | None) -> bool:
    """MiSPs and technology partners (provider organizations) read the private partner briefs; the
    acting organization decides, so a person in several organizations sees them only while acting for one."""
    return organization is not None and (organization.is_misp or organization.is_provider)
