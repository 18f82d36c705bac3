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
    form = ConfirmSubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and not refusal and form.is_valid():
        price = (form.cleaned_data["price_up_front"], form.cleaned_data["price_per_month"])
        try:
            services.subscribe(integration, membership=request.membership, version=version, confirmed_price=price)
        except ActionRefused as refused:
            messages.error(request, str(refused))
            return redirect("listing_detail", slug=integration.slug)
        messages.success(request, f"{request.organization.name} now subscribes to {integration.name}.")
        return redirect("listing_detail", slug=integration.slug)
    context = {"integration": integration, "version": version, "refusal": refusal, "form": form}
    return render(request, "marketplace/subscriptions/confirm.html", context, status=403 if refusal else 200)


@organization_required
def subscription_list(request):
    subscriptions = request.organization.subscriptions.select_related("integration__application", "version")
    page = Paginator(subscriptions, SUBSCRIPTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "marketplace/subscriptions/list.html", {"page": page})


@organization_required(manage=True)
@require_http_methods(["GET", "POST"])
def cancel_subscription(request, public_id):
    subscription = get_subscription_for_manage(request, public_id)
    form = CancelSubscriptionForm(request.POST or None)
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
    return render(request, "marketplace/subscriptions/cancel.html", {"subscription": subscription, "form": form})
