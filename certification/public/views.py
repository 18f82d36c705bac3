"""The public page of a Certified integration: what the seed's "iPaaS.com Certified" detail page
shows (description, features, supported workflow documentation, the integrator profile widget),
with the certified version. Anyone may read it; an integration below Certified answers 404 (its
limited Compatible and Ready pages belong to the marketplace)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from certification.models import CertificationRequest, RequestStatus
from integrations.associations.selectors import accepted_associations
from integrations.models import Integration, Tier


@require_GET
@login_not_required
def certified_integration_detail(request, slug):
    integration = (
        Integration.objects.select_related("application__provider", "owner")
        .filter(slug=slug, tier__gte=Tier.CERTIFIED)
        .first()
    )
    if integration is None:
        raise Http404("No Certified integration here")
    approval = (
        CertificationRequest.objects.filter(version__integration=integration, status=RequestStatus.APPROVED)
        .select_related("version")
        .order_by("-decided_at")
        .first()
    )
    context = {"integration": integration, "approval": approval, "associations": accepted_associations(integration)}
    return render(request, "certification/public/certified_integration.html", context)
