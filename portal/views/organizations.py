from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from portal import services
from portal.form_tokens import once_per_form_token
from portal.forms import OrganizationForm, SwitchOrganizationForm
from portal.selectors import organization_activity as activity_of
from portal.tenancy import organization_required, set_acting_organization

ACTIVITY_PER_PAGE = 50


def organization_list(request):
    return render(request, "portal/organization_list.html", {"memberships": request.memberships})


@once_per_form_token
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.create_organization(user=request.user, **form.cleaned_data)
        except services.ActionRefused as refused:
            form.add_error("name", str(refused))
        else:
            set_acting_organization(request, organization)
            messages.success(request, f"{organization.name} is created and you are its owner.")
            return redirect("getting_started")
    return render(request, "portal/organization_form.html", {"form": form, "creating": True})


@organization_required(manage=True)
def organization_settings(request):
    form = OrganizationForm.for_organization(request.organization, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.update_organization_profile(request.organization, acting_user=request.user, **form.cleaned_data)
        messages.success(request, "Organization profile saved.")
        return redirect("organization_settings")
    return render(request, "portal/organization_form.html", {"form": form, "creating": False})


@require_POST
def organization_switch(request):
    form = SwitchOrganizationForm(request.POST)
    wanted = form.cleaned_data["organization"] if form.is_valid() else None
    # Only an organization the person is a member of can become the acting one.
    membership = next((m for m in request.memberships if m.organization.public_id == wanted), None)
    if membership is None:
        messages.error(request, "You are not a member of that organization, so you cannot act for it.")
        return render(request, "portal/organization_list.html", {"memberships": request.memberships}, status=404)
    set_acting_organization(request, membership.organization)
    messages.success(request, f"You are now acting for {membership.organization.name}.")
    return redirect(_safe_next(request) or "home")


def _safe_next(request):
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


@require_GET
@organization_required
def getting_started(request):
    """The path for the acting organization's kinds; each app renders its part (portal.navigation)."""
    return render(request, "portal/getting_started.html")


@require_GET
@organization_required(manage=True)
def organization_activity(request):
    page = Paginator(activity_of(request.organization), ACTIVITY_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/organization_activity.html", {"page": page})
