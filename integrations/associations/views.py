"""Associations: integrators of other organizations ask to work on an integration; its owner
accepts, declines or ends; the asking organization may withdraw a request still pending."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from integrations.access import association_of, get_integration_for_association, get_integration_for_owner
from integrations.associations import selectors as association_selectors
from integrations.associations import services as association_services
from integrations.associations.forms import AssociationDecisionForm, AssociationRequestForm
from integrations.models import AssociationStatus
from portal.services import ActionRefused
from portal.tenancy import organization_required

NOT_AN_INTEGRATOR = (
    "Only integrator organizations can ask to work on an integration. An owner can add "
    "“Integrator” to the organization's kinds in its Organization settings."
)
DONE = {
    AssociationStatus.ACCEPTED: "{org} can now work on {integration}.",
    AssociationStatus.DECLINED: "You declined the request of {org}.",
    AssociationStatus.ENDED: "{org} no longer works on {integration}.",
}


@organization_required
def association_request(request, slug):
    integration = get_integration_for_association(request, slug)
    if integration.owner_id == request.organization.pk:
        return redirect("integration_associations", slug=integration.slug)
    if not request.organization.is_integrator:
        raise PermissionDenied(NOT_AN_INTEGRATOR)
    form = AssociationRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            association_services.request_association(
                integration,
                organization=request.organization,
                acting_user=request.user,
                message=form.cleaned_data["message"],
            )
        except ActionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"{integration.owner.name} is told of your request and will decide.")
        return redirect("association_request", slug=integration.slug)
    context = {
        "integration": integration,
        "form": form,
        "association": association_selectors.open_association(integration, request.organization),
    }
    return render(request, "integrations/associations/association_request.html", context)


@require_POST
@organization_required
def association_withdraw(request, slug, public_id):
    integration = get_integration_for_association(request, slug)
    association = association_of(integration, public_id, organization=request.organization)
    try:
        association_services.withdraw_association(association, acting_user=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Your request is withdrawn.")
    return redirect("association_request", slug=integration.slug)


# The requests waiting, the integrators associated and the earlier requests: each a page at a
# time, with its own page parameter.
ASSOCIATIONS_PER_PAGE = 24


PAGE_PARAMS = ("pending_page", "integrators_page", "past_page")


def _back(request, integration):
    """The associations page, at the page of each list the decision was taken from (its forms post
    them back)."""
    pages = {param: request.POST[param] for param in PAGE_PARAMS if request.POST.get(param, "").isdigit()}
    url = reverse("integration_associations", args=[integration.slug])
    return redirect(f"{url}?{urlencode(pages)}" if pages else url)


def _page(request, rows, param: str):
    # get_page answers any page parameter: not a number means the first page, too far the last.
    return Paginator(rows, ASSOCIATIONS_PER_PAGE).get_page(request.GET.get(param))


@require_GET
@organization_required
def integration_associations(request, slug):
    integration = get_integration_for_owner(request, slug)
    lists = association_selectors.associations_for_owner(integration)
    accepted = _page(request, association_selectors.accepted_associations(integration), "integrators_page")
    context = {
        "integration": integration,
        "associations": accepted.object_list,
        "associations_page": accepted,
        "pending": _page(request, lists["pending"], "pending_page"),
        "past": _page(request, lists["past"], "past_page"),
        "may_decide": request.membership.can_manage,
    }
    return render(request, "integrations/associations/association_list.html", context)


@require_POST
@organization_required(manage=True)
def association_decide(request, slug, public_id):
    integration = get_integration_for_owner(request, slug)
    association = association_of(integration, public_id)
    form = AssociationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose accept, decline or end.")
        return _back(request, integration)
    try:
        association = association_services.decide_association(
            association, acting_user=request.user, decision=form.cleaned_data["decision"]
        )
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        done = DONE[AssociationStatus(association.status)]
        messages.success(request, done.format(org=association.organization.name, integration=integration.name))
    return _back(request, integration)
