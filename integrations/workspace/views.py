"""An integrator's integrations: the dashboard, the private workspace page, the declarations and
the versions. Members of the owner and of associated organizations reach them through
integrations.access (anyone else gets 404); owners and admins change them."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from integrations.access import get_integration_for_work, get_version_for_work
from integrations.associations.selectors import accepted_associations
from integrations.models import Application
from integrations.registry.selectors import api_changes_to_correct
from integrations.tiers import engine as tiers
from integrations.workspace import selectors, services
from integrations.workspace.forms import IntegrationForm, IntegrationVersionForm, NewVersionForm
from integrations.workspace.freeze import frozen_reasons, version_frozen_reason
from integrations.workspace.panels import apply_new_version_options, rendered_new_version_options, rendered_panels
from portal.form_tokens import once_per_form_token
from portal.services import ActionRefused
from portal.tenancy import organization_required

# The workspace page shows the newest tier changes; the tier history page lists them all.
TIER_CHANGES_SHOWN = 20
TIER_CHANGES_PER_PAGE = 50
# The workspace page lists the versions a page at a time, each naming its first supported
# application versions; the version's own page lists them all, a page at a time.
VERSIONS_PER_PAGE = 20
SUPPORTED_SHOWN = 5
SUPPORTED_PER_PAGE = 50
INTEGRATORS_PER_PAGE = 24


def integrator_required(view=None, *, manage: bool = False):
    """organization_required, and the acting organization must be an integrator or a provider."""

    def decorator(view_func):
        @organization_required(manage=manage)
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not services.may_create_integrations(request.organization):
                raise PermissionDenied(services.NOT_AN_INTEGRATOR)
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


@require_GET
@integrator_required
def integration_dashboard(request):
    page = selectors.dashboard(request.organization, request.GET.get("page"))
    context = {"page": page, "rows": page.object_list}
    return render(request, "integrations/workspace/integration_dashboard.html", context)


@integrator_required(manage=True)
@once_per_form_token
def integration_create(request):
    preselected = Application.objects.published().filter(slug=request.GET.get("application", "")).first()
    form = IntegrationForm(request.POST or None, creating=True, application=preselected)
    if request.method == "POST" and form.is_valid():
        try:
            integration = services.create_integration(
                request.organization,
                acting_user=request.user,
                application=form.cleaned_data["application"],
                **form.action_fields(),
            )
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{integration.name} is created. Now add its first version.")
            return redirect("integration_detail", slug=integration.slug)
    return render(request, "integrations/workspace/integration_form.html", {"form": form, "creating": True})


@require_GET
@organization_required
def integration_detail(request, slug):
    integration = get_integration_for_work(request, slug)
    versions = selectors.workspace_versions(integration)
    # get_page answers any page parameter: not a number means the first page, too far the last.
    versions_page = Paginator(versions, VERSIONS_PER_PAGE).get_page(request.GET.get("versions_page"))
    reasons = frozen_reasons(versions_page.object_list)
    for each in versions_page:
        each.frozen_reason = reasons.get(each.pk, "")
    selectors.with_supported_shown(versions_page.object_list, SUPPORTED_SHOWN)
    version = selectors.progress_version(versions)
    checklists = tiers.evaluate(version) if version else []
    is_owner = integration.owner_id == request.organization.pk
    history = list(selectors.tier_history(integration, limit=TIER_CHANGES_SHOWN))
    context = {
        "integration": integration,
        "is_owner": is_owner,
        "can_manage": request.membership.can_manage,
        "scopes": list(integration.scopes.all()),
        "versions_page": versions_page,
        "version": version,
        "checklists": checklists,
        "may_designate": version is not None
        and not version.ready_designated_at
        and selectors.designation_open(checklists)
        and services.is_qualified_integrator(request.user, request.organization, integration),
        "history": history,
        "history_count": len(history) if len(history) < TIER_CHANGES_SHOWN else integration.tier_changes.count(),
        "associations_page": Paginator(accepted_associations(integration), INTEGRATORS_PER_PAGE).get_page(
            request.GET.get("integrators_page")
        ),
        # Later apps' panels (certification, workflow templates) speak of the versions shown.
        "panels": rendered_panels(request, integration, list(versions_page.object_list)),
        "api_changes": api_changes_to_correct([integration.application_id], timezone.localdate()).get(
            integration.application_id, []
        ),
    }
    return render(request, "integrations/workspace/integration_detail.html", context)


@require_GET
@organization_required
def integration_tier_history(request, slug):
    """Every tier change of the integration, newest first, a page at a time: its workspace page
    shows only the newest ones."""
    integration = get_integration_for_work(request, slug)
    changes = integration.tier_changes.select_related("version")
    # get_page answers any page parameter: not a number means the first page, too far the last.
    page = Paginator(changes, TIER_CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "integrations/workspace/tier_history.html", {"integration": integration, "page": page})


@require_GET
@organization_required
def integration_version_detail(request, slug, public_id):
    """One version of the integration, with every application version it supports, a page at a
    time: the workspace page names only the first ones."""
    version = get_version_for_work(request, slug, public_id)
    supported = selectors.supported_versions_of(version)
    context = {
        "integration": version.integration,
        "version": version,
        "is_owner": version.integration.owner_id == request.organization.pk,
        "can_manage": request.membership.can_manage,
        "frozen_reason": version_frozen_reason(version),
        "page": Paginator(supported, SUPPORTED_PER_PAGE).get_page(request.GET.get("page")),
    }
    return render(request, "integrations/workspace/integration_version_detail.html", context)


@organization_required(manage=True)
def integration_edit(request, slug):
    integration = get_integration_for_work(request, slug)
    is_owner = integration.owner_id == request.organization.pk
    form = IntegrationForm(request.POST or None, integration=integration, owner=is_owner)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_integration(
                integration,
                acting_user=request.user,
                acting_organization=request.organization,
                **form.action_fields(),
            )
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{integration.name} is saved.")
            return redirect("integration_detail", slug=integration.slug)
    context = {"form": form, "creating": False, "integration": integration, "is_owner": is_owner}
    return render(request, "integrations/workspace/integration_form.html", context)


@organization_required(manage=True)
@once_per_form_token
def integration_version_create(request, slug):
    integration = get_integration_for_work(request, slug)
    number = selectors.next_version_number(integration)
    form = IntegrationVersionForm(request.POST or None, integration=integration, number=number)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.create_integration_version(integration, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error("number", str(refused))
        else:
            messages.success(request, f"Version {version.number} is created as a draft. Publish it when it is out.")
            return redirect("integration_detail", slug=integration.slug)
    context = {"form": form, "integration": integration}
    return render(request, "integrations/workspace/integration_version_form.html", context)


@organization_required(manage=True)
def integration_version_edit(request, slug, public_id):
    version = get_version_for_work(request, slug, public_id)
    integration = version.integration
    form = IntegrationVersionForm(request.POST or None, integration=integration, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_integration_version(version, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error("number", str(refused))
        else:
            messages.success(request, f"Version {form.cleaned_data['number']} is saved.")
            return redirect("integration_detail", slug=integration.slug)
    context = {"form": form, "integration": integration, "version": version}
    return render(request, "integrations/workspace/integration_version_form.html", context)


@require_POST
@organization_required(manage=True)
def integration_version_publish(request, slug, public_id):
    version = get_version_for_work(request, slug, public_id)
    try:
        services.publish_integration_version(version, acting_user=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Version {version.number} is published.")
    return redirect("integration_detail", slug=slug)


@require_POST
@organization_required
def integration_designate_ready(request, slug, public_id):
    version = get_version_for_work(request, slug, public_id)
    try:
        services.designate_ready(version, acting_user=request.user, acting_organization=request.organization)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Version {version.number} is designated ready.")
    return redirect("integration_detail", slug=slug)


@organization_required(manage=True)
def integration_version_start(request, slug, public_id):
    """A new draft version copied from this one: how work goes on once a version is frozen."""
    source = get_version_for_work(request, slug, public_id)
    integration = source.integration
    form = NewVersionForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.start_new_version(source, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error("number", str(refused))
        else:
            messages.success(
                request, f"Version {version.number} is started from {source.number}, as a draft: change it freely."
            )
            apply_new_version_options(request, source, version)
            return redirect("mapping_collection_list", slug=integration.slug, public_id=version.public_id)
    options = rendered_new_version_options(request, source)
    context = {"form": form, "integration": integration, "source": source, "options": options}
    return render(request, "integrations/workspace/integration_version_start.html", context)
