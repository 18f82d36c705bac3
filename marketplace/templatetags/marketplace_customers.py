"""The pieces subscriptions and reviews add to an integration's marketplace page: the Subscribe panel
beside the price and the reviews section. Each reads what it needs with a fixed number of queries."""

from django import template

from marketplace.reviews import selectors as reviews
from marketplace.reviews.models import Review
from marketplace.reviews.services import has_paid
from marketplace.subscriptions.services import subscribe_refusal

register = template.Library()


@register.inclusion_tag("marketplace/subscriptions/_subscribe_panel.html", takes_context=True)
def subscribe_panel(context, integration):
    request = context["request"]
    organization = getattr(request, "organization", None)
    active = None
    if organization is not None:
        active = integration.subscriptions.active().filter(organization=organization).first()
    return {
        "integration": integration,
        "signed_in": request.user.is_authenticated,
        "active": active,
        "refusal": "" if active else subscribe_refusal(integration, getattr(request, "membership", None)),
    }


@register.inclusion_tag("marketplace/reviews/_reviews.html", takes_context=True)
def reviews_section(context, integration):
    request = context["request"]
    organization = getattr(request, "organization", None)
    own = None
    if organization is not None:
        own = Review.objects.filter(organization=organization, integration=integration).first()
    return {
        "request": request,
        "integration": integration,
        "summary": reviews.rating_summary(integration),
        "page": reviews.reviews_page(integration, request.GET.get("reviews")),
        "own_review": own,
        "may_review": own is None and has_paid(organization, integration),
        "is_integrator": organization is not None and organization.pk == integration.owner_id,
    }


@register.filter
def subscription_length(duration) -> str:
    """How long an organization has subscribed, in words a reader takes in at a glance."""
    days = duration.days
    if days < 1:
        return "less than a day"
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''}"
    months = days // 30
    if months < 24:
        return f"{months} months"
    return f"{days // 365} years"
