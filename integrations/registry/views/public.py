"""The registry's public pages: readable without signing in."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from integrations.access import (
    get_application_for_view,
    get_integrator_for_view,
    get_misp_for_view,
    get_provider_for_view,
)
from integrations.registry import selectors
from integrations.registry.forms import DirectorySearchForm
from integrations.workspace import selectors as integration_selectors
from portal.page_cache import cached_for_visitors

PROVIDERS_PER_PAGE = 20
APPLICATIONS_PER_PAGE = 24
VERSIONS_PER_PAGE = 25
INTEGRATIONS_PER_PAGE = 25


def _page(items, per_page: int, number):
    # get_page answers any page parameter: not a number means the first page, too far the last.
    return Paginator(items, per_page).get_page(number)


@login_not_required
@require_GET
@cached_for_visitors
def provider_directory(request):
    form = DirectorySearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = _page(selectors.provider_directory(query), PROVIDERS_PER_PAGE, request.GET.get("page"))
    return render(
        request, "integrations/registry/provider_directory.html", {"form": form, "query": query, "page": page}
    )


@login_not_required
@require_GET
@cached_for_visitors
def provider_detail(request, slug):
    provider = get_provider_for_view(slug)
    applications = selectors.provider_applications(provider, request.organization)
    context = {
        "provider": provider,
        "page": _page(applications, APPLICATIONS_PER_PAGE, request.GET.get("page")),
        "is_member": request.organization == provider,
    }
    return render(request, "integrations/registry/provider_detail.html", context)


@login_not_required
@require_GET
@cached_for_visitors
def application_detail(request, slug):
    application = get_application_for_view(request, slug)
    membership = request.membership if request.organization == application.provider else None
    context = {
        "application": application,
        "provider": application.provider,
        "versions": selectors.flag_latest(
            _page(selectors.newest_versions_first(application), VERSIONS_PER_PAGE, request.GET.get("versions_page"))
        ),
        "integrations": _page(
            integration_selectors.public_integrations(application),
            INTEGRATIONS_PER_PAGE,
            request.GET.get("integrations_page"),
        ),
        "can_edit": membership is not None and membership.can_manage,
    }
    return render(request, "integrations/registry/application_detail.html", context)


def _organization_profile(request, organization, kind: str, **extra):
    context = {"profile": organization, "kind": kind, "is_member": request.organization == organization, **extra}
    return render(request, "integrations/registry/organization_profile.html", context)


@login_not_required
@require_GET
@cached_for_visitors
def integrator_profile(request, slug):
    integrator = get_integrator_for_view(slug)
    public, certified = selectors.integrator_public_integrations(integrator)
    integrations = _page(public, INTEGRATIONS_PER_PAGE, request.GET.get("integrations_page"))
    return _organization_profile(request, integrator, "Integrator", integrations=integrations, certified=certified)


@login_not_required
@require_GET
@cached_for_visitors
def misp_profile(request, slug):
    return _organization_profile(request, get_misp_for_view(slug), "MiSP")
