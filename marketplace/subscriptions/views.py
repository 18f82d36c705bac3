"""Subscribe after a confirmation, list the organization's subscriptions, cancel one with a reason."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from marketplace.access import get_listing_for_view, get_subscription_for_manage
from marketplace.subscriptions import services
from marketplace.subscriptions.forms import CancelSubscriptionForm, ConfirmSubscriptionForm
from portal.services import ActionRefused
from portal.tenancy import organization_required

SUBSCRIPTIONS_PER_PAGE = 25


@organization_required
@require_http_methods(["GET", "POST"])
def subscribe(request, slug):
    integration = get_listing_for_view(slug).integration
    refusal = services.subscribe_refusal(integration, request.membership)
    version = services.newest_published_version(integration)
    initial = {"price_up_front": integration.price_up_front, "price_per_month": integration.price_per_month}
    form = ConfirmSubscriptionForm(_posted(request), initial=initial)
    if request.method == "POST" and not refusal and form.is_valid():
        price = (form.cleaned_data["price_up_front"], form.cleaned_data["price_per_month"])
        try:
            services.subscribe(integration, membership=request.membership, version=version, confirmed_price=price)
        except ActionRefused as refused:
            messages.error(request, str(refused))
            return redirect("listing_detail", slug=integration.slug)
        messages.success(request, f"{request.organization.name} now subscribes to {integration.name}.")
        return redirect("listing_detail", slug=integration.slug)
    if request.method == "POST" and not refusal:
        form.add_error(None, "The confirmation was not complete; check the price below and confirm again.")
    context = {"integration": integration, "version": version, "refusal": refusal, "form": form}
    status = 403 if refusal else 400 if form.errors else 200
    return render(request, "marketplace/subscriptions/confirm.html", context, status=status)


@organization_required
def subscription_list(request):
    subscriptions = request.organization.subscriptions.select_related("integration__application", "version")
    page = Paginator(subscriptions, SUBSCRIPTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "marketplace/subscriptions/list.html", {"page": page})


@organization_required(manage=True)
@require_http_methods(["GET", "POST"])
def cancel_subscription(request, public_id):
    subscription = get_subscription_for_manage(request, public_id)
    form = CancelSubscriptionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_subscription(
                subscription,
                membership=request.membership,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ActionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"Your subscription to {subscription.integration.name} is cancelled.")
        return redirect("subscription_list")
    context = {"subscription": subscription, "form": form}
    return render(request, "marketplace/subscriptions/cancel.html", context, status=400 if form.errors else 200)


def _posted(request):
    """The submitted data on a POST (even an empty one, so it is validated and answered), else None."""
    return request.POST if request.method == "POST" else None
