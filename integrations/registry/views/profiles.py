"""An organization's public profile: what its provider page, integrator or MiSP profile and the
integrator widget show."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from integrations.access import public_profile_required
from integrations.registry import services
from integrations.registry.forms import PublicProfileForm


@public_profile_required(manage=True)
def public_profile_edit(request):
    organization = request.organization
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = PublicProfileForm(*data, organization=organization)
    if request.method == "POST" and form.is_valid():
        services.update_public_profile(organization, acting_user=request.user, **form.cleaned_data)
        messages.success(request, "Public profile saved.")
        return redirect("public_profile_edit")
    context = {"form": form, "profile": organization, "public_pages": _public_pages(organization)}
    return render(request, "integrations/registry/public_profile_form.html", context)


def _public_pages(organization) -> list[tuple[str, str]]:
    pages = [
        (organization.is_provider, "your provider page", "provider_detail"),
        (organization.is_integrator, "your integrator profile", "integrator_profile"),
        (organization.is_misp, "your MiSP profile", "misp_profile"),
    ]
    return [(label, reverse(name, args=[organization.slug])) for shown, label, name in pages if shown]
