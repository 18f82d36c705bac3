"""The OpenAPI page of a Dynamic integration: upload, the import's progress and result, and the
integrator's decisions on the foreign data objects it proposes. Owners' members and associated
integrators work here; anyone else gets 404 (integrations.access)."""

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from integrations import openapi
from integrations.access import foreign_object_of, get_integration_for_work, openapi_import_of
from integrations.models import ForeignDataObject, ImportStatus, IntegrationKind
from integrations.openapi import services as openapi_services
from integrations.openapi.forms import ForeignObjectActionForm, ForeignObjectMergeForm, OpenAPIUploadForm
from portal.services import ActionRefused
from portal.tenancy import organization_required

# The OpenAPI page shows the newest uploads; its history page lists them all, a page at a time.
HISTORY_LENGTH = 20
HISTORY_PER_PAGE = 50
# A 5,000-path document proposes hundreds of objects and can hold thousands of errors and
# changed operations: each list is shown a page at a time, with its own page parameter.
OBJECTS_PER_PAGE = 25
ERRORS_PER_PAGE = 50
CHANGES_PER_PAGE = 100
# An object's card shows its first paths (_openapi_object.html); its paths page shows them all.
PATHS_PER_PAGE = 50
ACTIONS = {
    "accept": openapi_services.accept_foreign_object,
    "drop": openapi_services.drop_foreign_object,
}


def _page(request, items, per_page: int, param: str) -> Page:
    """One page of `items`; a page number that is not one answers the first or the last page."""
    return Paginator(items, per_page).get_page(request.GET.get(param))


def _history(integration):
    """The integration's uploads, newest first, without their analyses: a 5,000-path document's
    analysis and changes are megabytes of JSON each, and a history row shows neither."""
    return integration.openapi_imports.select_related("uploaded_by").defer("analysis", "changes")


def _page_context(request, integration, form) -> dict:
    history = list(_history(integration)[:HISTORY_LENGTH])
    history_count = len(history) if len(history) < HISTORY_LENGTH else integration.openapi_imports.count()
    current = openapi_services.current_import(integration) if history else None
    latest = history[0] if history else None
    # The page shows the analysis's errors and counts; its proposals (hundreds for a large
    # document, a tenth of a second to rebuild) are the foreign data objects, read from their rows.
    analysis = (
        openapi.Analysis.from_dict({**current.analysis, "proposals": ()}) if current and current.analysis else None
    )
    changes = openapi.ProposalDiff.from_dict(current.changes) if current and current.changes else None
    # Objects declared by hand are not the document's: they are on the data model links page.
    objects = (
        integration.foreign_objects.filter(declared_by_hand=False).order_by("name", "pk")
        if integration.kind == IntegrationKind.DYNAMIC
        else ForeignDataObject.objects.none()
    )
    return {
        "integration": integration,
        "form": form,
        "history": history,
        "history_count": history_count,
        "latest": latest,
        "current": current,
        "analysis": analysis,
        "errors_page": _page(request, analysis.errors if analysis else [], ERRORS_PER_PAGE, "errors_page"),
        "changes": changes,
        "added_page": _page(request, changes.paths_added if changes else [], CHANGES_PER_PAGE, "added_page"),
        "removed_page": _page(request, changes.paths_removed if changes else [], CHANGES_PER_PAGE, "removed_page"),
        "objects_page": _page(request, objects, OBJECTS_PER_PAGE, "objects_page"),
        "is_sdk": integration.kind == IntegrationKind.SDK,
    }


@organization_required
def integration_openapi(request, slug):
    integration = get_integration_for_work(request, slug)
    form = OpenAPIUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            openapi_services.upload_openapi_document(
                integration, acting_user=request.user, filename=upload.name, content=form.cleaned_data["content"]
            )
        except ActionRefused as refused:
            form.add_error("document", str(refused))
        else:
            messages.success(request, f"{upload.name} is uploaded; the portal is reading it.")
            return redirect("integration_openapi", slug=integration.slug)
    return render(request, "integrations/openapi/openapi_import.html", _page_context(request, integration, form))


@require_GET
@organization_required
def integration_openapi_status(request, slug, public_id):
    """The progress fragment htmx polls. Once the import has finished, an htmx poll reloads the
    whole page, which then shows the result (and polls no more)."""
    integration = get_integration_for_work(request, slug)
    document = openapi_import_of(integration, public_id)
    response = render(
        request, "integrations/openapi/_openapi_progress.html", {"integration": integration, "latest": document}
    )
    if document.is_finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@require_GET
@organization_required
def integration_openapi_imports(request, slug):
    """Every upload of the integration's OpenAPI document, newest first, a page at a time: the
    OpenAPI page shows only the newest ones."""
    integration = get_integration_for_work(request, slug)
    done = integration.openapi_imports.filter(status=ImportStatus.DONE).order_by("-created_at", "-id")
    context = {
        "integration": integration,
        "current_id": done.values_list("pk", flat=True).first(),
        "page": _page(request, _history(integration), HISTORY_PER_PAGE, "page"),
    }
    return render(request, "integrations/openapi/openapi_imports.html", context)


@require_GET
@organization_required
def foreign_object_paths(request, slug, public_id):
    """Every path of one proposed object, a page at a time: an object of a large document can
    group thousands, and its card on the OpenAPI page shows only the first ones."""
    integration = get_integration_for_work(request, slug)
    obj = foreign_object_of(integration, public_id, imported_only=True)
    context = {"integration": integration, "obj": obj, "page": _page(request, obj.paths, PATHS_PER_PAGE, "page")}
    return render(request, "integrations/openapi/foreign_object_paths.html", context)


def _decide(obj: ForeignDataObject, form: ForeignObjectActionForm, user) -> tuple[ForeignDataObject, str]:
    """Apply the chosen action; the object as it is now, and an error message or ""."""
    if not form.is_valid():
        return obj, next(iter(form.errors.values()))[0]
    action = form.cleaned_data["action"]
    try:
        if action == "rename":
            return openapi_services.rename_foreign_object(obj, acting_user=user, name=form.cleaned_data["name"]), ""
        return ACTIONS[action](obj, acting_user=user), ""
    except ActionRefused as refused:
        return obj, str(refused)


@require_POST
@organization_required
def foreign_object_update(request, slug, public_id):
    integration = get_integration_for_work(request, slug)
    obj = foreign_object_of(integration, public_id, imported_only=True)
    obj, error = _decide(obj, ForeignObjectActionForm(request.POST), request.user)
    if request.htmx:
        context = {"integration": integration, "obj": obj, "error": error, "updated": not error}
        return render(request, "integrations/openapi/_openapi_object.html", context)
    if error:
        messages.error(request, f"{obj.name}: {error}")
    else:
        messages.success(request, f"{obj.name} is saved: {obj.get_state_display().lower()}.")
    return redirect(_objects_url(integration, obj))


@require_POST
@organization_required
def foreign_objects_merge(request, slug):
    integration = get_integration_for_work(request, slug)
    form = ForeignObjectMergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect(_objects_url(integration))
    try:
        merged = openapi_services.merge_foreign_objects(
            integration,
            acting_user=request.user,
            public_ids=form.cleaned_data["objects"],
            name=form.cleaned_data["name"],
        )
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect(_objects_url(integration))
    messages.success(request, f"The objects are merged into {merged.name}.")
    return redirect(_objects_url(integration, merged))


def _objects_url(integration, obj=None) -> str:
    """The OpenAPI page at `obj` on the page of objects that holds it (by name, as listed)."""
    url = reverse("integration_openapi", args=[integration.slug])
    if obj is None:
        return url + "#objects"
    before = (
        integration.foreign_objects.filter(declared_by_hand=False)
        .filter(Q(name__lt=obj.name) | Q(name=obj.name, pk__lt=obj.pk))
        .count()
    )
    return f"{url}?objects_page={before // OBJECTS_PER_PAGE + 1}#object-{obj.public_id}"
