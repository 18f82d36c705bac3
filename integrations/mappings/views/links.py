"""The links page: an integration's foreign data objects and webhook scopes linked to MappingCollections,
and data objects declared by hand (the only way for SDK integrations)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from integrations.access import foreign_object_of, get_integration_for_work
from integrations.mappings import objects as object_services
from integrations.mappings import services as mapping_services
from integrations.mappings.forms import (
    ForeignObjectDeclarationForm,
    ObjectLinkForm,
    ScopeLinkForm,
    collection_choices,
)
from integrations.models import (
    ForeignDataObject,
    IntegrationKind,
    ObjectState,
    WebhookScope,
)
from portal.services import ActionRefused
from portal.tenancy import organization_required

# A 5,000-path document can have hundreds of accepted objects, each with a form: a page at a time.
OBJECTS_PER_PAGE = 25


def _object_form(obj, data=None, choices=None) -> ObjectLinkForm:
    link = getattr(obj, "link", None)
    initial = {}
    if link is not None:
        initial = {
            "collection": link.collection_id,
            "to_ipaas_methods": link.to_ipaas_methods,
            "from_ipaas_methods": link.from_ipaas_methods,
        }
    return ObjectLinkForm(data, initial=initial, prefix=f"object-{obj.public_id}", collection_choices=choices)


def _scope_form(scope, data=None, choices=None) -> ScopeLinkForm:
    link = getattr(scope, "link", None)
    initial = {"collection": link.collection_id, "direction": link.direction} if link else {}
    return ScopeLinkForm(data, initial=initial, prefix=f"scope-{scope.pk}", collection_choices=choices)


def _links_page(request, integration, *, bound=None, declaration=None, status=200):
    """The links page; `bound` is (object or scope, its posted form) to show with its errors,
    `declaration` a posted ForeignObjectDeclarationForm."""

    choices = collection_choices()  # read once for every form on the page

    def form_for(item, make):
        return bound[1] if bound is not None and bound[0] == item else make(item, choices=choices)

    objects = _accepted(integration).select_related("link__collection")
    number = request.GET.get("objects_page")
    if bound is not None and isinstance(bound[0], ForeignDataObject):
        number = _page_holding(integration, bound[0])  # the object whose form has errors is shown
    objects_page = Paginator(objects, OBJECTS_PER_PAGE).get_page(number)
    scopes = integration.scopes.select_related("link__collection")
    context = {
        "integration": integration,
        "objects_page": objects_page,
        "page_path": reverse("integration_collections", args=[integration.slug]),
        "object_rows": [(obj, form_for(obj, _object_form)) for obj in objects_page],
        "scope_rows": [(scope, form_for(scope, _scope_form)) for scope in scopes],
        "declaration": declaration or ForeignObjectDeclarationForm(prefix="declare", collection_choices=choices),
        "is_sdk": integration.kind == IntegrationKind.SDK,
    }
    return render(request, "integrations/mappings/mapping_links.html", context, status=status)


def _accepted(integration):
    return integration.foreign_objects.filter(state=ObjectState.ACCEPTED).order_by("name", "pk")


def _page_holding(integration, obj) -> int:
    before = _accepted(integration).filter(Q(name__lt=obj.name) | Q(name=obj.name, pk__lt=obj.pk)).count()
    return before // OBJECTS_PER_PAGE + 1


def _object_url(integration, obj) -> str:
    """The links page at `obj`, on the page of objects that holds it."""
    url = reverse("integration_collections", args=[integration.slug])
    return f"{url}?objects_page={_page_holding(integration, obj)}#object-{obj.public_id}"


@organization_required
def integration_collections(request, slug):
    integration = get_integration_for_work(request, slug)
    return _links_page(request, integration)


@require_POST
@organization_required
def foreign_object_link(request, slug, public_id):
    integration = get_integration_for_work(request, slug)
    obj = foreign_object_of(integration, public_id)
    form = _object_form(obj, request.POST)
    if form.is_valid():
        try:
            mapping_services.link_foreign_object(obj, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{obj.name} is linked to {form.cleaned_data['collection'].name}.")
            return redirect(_object_url(integration, obj))
    return _links_page(request, integration, bound=(obj, form), status=400)


@require_POST
@organization_required
def foreign_object_declare(request, slug):
    integration = get_integration_for_work(request, slug)
    form = ForeignObjectDeclarationForm(request.POST, prefix="declare")
    if form.is_valid():
        values = dict(form.cleaned_data)
        try:
            obj = object_services.declare_foreign_object(
                integration, acting_user=request.user, paths=values.pop("endpoints"), **values
            )
        except object_services.NameTaken as refused:
            form.add_error("name", str(refused))
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{obj.name} is declared and linked to {values['collection'].name}.")
            return redirect(_object_url(integration, obj))
    return _links_page(request, integration, declaration=form, status=400)


@require_POST
@organization_required
def scope_link(request, slug, scope_id):
    integration = get_integration_for_work(request, slug)
    try:
        scope = integration.scopes.get(pk=scope_id)
    except WebhookScope.DoesNotExist as exc:
        raise Http404("No such webhook scope of this integration") from exc
    form = _scope_form(scope, request.POST)
    if form.is_valid():
        try:
            mapping_services.link_scope(scope, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{scope.name} is linked to {form.cleaned_data['collection'].name}.")
            return redirect(reverse("integration_collections", args=[integration.slug]) + f"#scope-{scope.pk}")
    return _links_page(request, integration, bound=(scope, form), status=400)
