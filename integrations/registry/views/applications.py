"""A provider's own pages: its applications and their versions. Owners and admins change them;
every member sees them, drafts included."""

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from integrations.access import get_application_for_edit, get_version_for_edit, provider_required
from integrations.registry import selectors, services
from integrations.registry.forms import ApplicationForm, VersionForm
from portal.form_tokens import once_per_form_token
from portal.services import ActionRefused
from portal.tenancy import organization_required

# The provider's own page holds three lists, each a page at a time with its own page parameter.
APPLICATIONS_PER_PAGE = 25
BUILT_BY_OTHERS_PER_PAGE = 20
SUBMISSIONS_PER_PAGE = 20
# An application's settings page lists its versions and the submissions waiting, also a page at a time.
VERSIONS_PER_PAGE = 25


def _page(request, items, per_page: int, param: str) -> Page:
    # get_page answers any page parameter: not a number means the first page, too far the last.
    return Paginator(items, per_page).get_page(request.GET.get(param))


def _post(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@require_GET
@provider_required
def provider_application_list(request):
    provider = request.organization
    context = {
        "applications": _page(
            request, selectors.organization_applications(provider), APPLICATIONS_PER_PAGE, "applications_page"
        ),
        "gaps": selectors.profile_gaps(provider),
        "built_by_others": _page(
            request, selectors.integrations_built_by_others(provider), BUILT_BY_OTHERS_PER_PAGE, "others_page"
        ),
        "submissions": _page(
            request, selectors.submissions_for_provider(provider), SUBMISSIONS_PER_PAGE, "submissions_page"
        ),
    }
    return render(request, "integrations/registry/provider_application_list.html", context)


@provider_required(manage=True)
@once_per_form_token
def application_create(request):
    form = ApplicationForm(*_post(request))
    if request.method == "POST" and form.is_valid():
        fields = {key: value for key, value in form.cleaned_data.items() if key != "remove_logo"}
        try:
            application = services.create_application(request.organization, acting_user=request.user, **fields)
        except ActionRefused as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, f"{application.name} is registered. Now add its versions.")
            return redirect("application_edit", slug=application.slug)
    return render(request, "integrations/registry/application_form.html", {"form": form, "creating": True})


@organization_required(manage=True)
def application_edit(request, slug):
    application = get_application_for_edit(request, slug)
    form = ApplicationForm(*_post(request), application=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_application(application, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, f"{form.cleaned_data['name']} is saved.")
            return redirect("application_edit", slug=application.slug)
    versions = selectors.flag_latest(
        _page(request, selectors.newest_versions_first(application), VERSIONS_PER_PAGE, "versions_page")
    )
    context = {
        "form": form,
        "creating": False,
        "application": application,
        "versions": versions,
        "pending_submissions": _page(
            request, selectors.pending_submissions(application), SUBMISSIONS_PER_PAGE, "submissions_page"
        ),
        # Once it can carry one, the next thing a provider may do: build an integration for it.
        "suggest_integration": application.is_published and versions.paginator.count > 0,
    }
    return render(request, "integrations/registry/application_form.html", context)


@organization_required(manage=True)
@once_per_form_token
def version_create(request, slug):
    application = get_application_for_edit(request, slug)
    form = VersionForm(request.POST or None, latest_label=selectors.latest_version_label(application))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.add_application_version(application, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error("label", str(refused))
        else:
            messages.success(request, f"{application.name} {version.label} is added.")
            return redirect("application_edit", slug=application.slug)
    return render(request, "integrations/registry/version_form.html", {"form": form, "application": application})


@organization_required(manage=True)
def version_edit(request, slug, public_id):
    version = get_version_for_edit(request, slug, public_id)
    application = version.application
    form = VersionForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_application_version(version, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error("label", str(refused))
        else:
            messages.success(request, f"{application.name} {form.cleaned_data['label']} is saved.")
            return redirect("application_edit", slug=application.slug)
    context = {"form": form, "application": application, "version": version}
    return render(request, "integrations/registry/version_form.html", context)


@require_POST
@organization_required(manage=True)
def version_remove(request, slug, public_id):
    version = get_version_for_edit(request, slug, public_id)
    services.remove_application_version(version, acting_user=request.user)
    messages.success(request, f"{version.application.name} {version.label} is removed.")
    return redirect("application_edit", slug=slug)
