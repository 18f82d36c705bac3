"""The integrator's business dashboard: subscribers, revenue, cancellations and reviews to answer."""

from django.shortcuts import render

from marketplace.access import get_integration_for_business
from marketplace.business import selectors
from portal.tenancy import organization_required


@organization_required
def business_index(request):
    integrations = selectors.own_integrations(request.organization)[: selectors.LIST_CAP]
    return render(request, "marketplace/business/index.html", {"integrations": integrations})


@organization_required
def business_dashboard(request, slug):
    integration = get_integration_for_business(request, slug)
    return render(request, "marketplace/business/dashboard.html", {"board": selectors.dashboard(integration)})
