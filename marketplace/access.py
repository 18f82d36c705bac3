"""The marketplace's access helpers: what a visitor may open, and who reads the partner brief."""

from django.http import Http404

from marketplace.listings.models import Listing, Visibility
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


def delisted_listing(slug: str) -> Listing | None:
    """A listing staff delisted: its page only says the integration is no longer offered."""
    return (
        Listing.objects.filter(integration__slug=slug, visibility=Visibility.DELISTED)
        .select_related("integration__application")
        .first()
    )


def reads_partner_briefs(organization: Organization | None) -> bool:
    """MiSPs and technology partners (provider organizations) read the private partner briefs; the
    acting organization decides, so a person in several organizations sees them only while acting for one."""
    return organization is not None and (organization.is_misp or organization.is_provider)


# --- Subscriptions, reviews and the business dashboard ------------------------------------------


def get_subscription_for_manage(request, public_id):
    """One of the acting organization's subscriptions; another organization's answers 404."""
    from marketplace.subscriptions.models import Subscription

    try:
        return request.organization.subscriptions.select_related("integration").get(public_id=public_id)
    except (Subscription.DoesNotExist, ValueError) as exc:
        raise Http404("No such subscription in this organization") from exc


def get_review_for_integrator(request, public_id):
    """A review of one of the acting organization's own integrations (to answer or dispute it)."""
    from marketplace.reviews.models import Review

    try:
        return Review.objects.select_related("integration", "organization", "dispute").get(
            public_id=public_id, integration__owner=request.organization
        )
    except (Review.DoesNotExist, ValueError) as exc:
        raise Http404("No such review of your integrations") from exc


def get_review_for_view(public_id):
    """A review shown on the marketplace (its integration's page can be opened, staff have not hidden it)."""
    from marketplace.reviews.models import Review

    on_marketplace = Listing.objects.on_marketplace().values("integration_id")
    try:
        return (
            Review.objects.public()
            .select_related("integration", "organization")
            .get(public_id=public_id, integration_id__in=on_marketplace)
        )
    except (Review.DoesNotExist, ValueError) as exc:
        raise Http404("No such review") from exc


def get_integration_for_business(request, slug):
    """One of the acting organization's own integrations, for its business dashboard."""
    from integrations.models import Integration

    try:
        return request.organization.integrations.select_related("application").get(slug=slug)
    except Integration.DoesNotExist as exc:
        raise Http404("No such integration in this organization") from exc
