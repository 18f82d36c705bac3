"""How an integration meets the common data model: the links page (foreign data objects and
webhook scopes to MappingCollections), translation tables, and the template mapping editor of a
version's sandbox. Owners' members and associated integrators work here; anyone else gets 404.

Rows are saved one at a time, in place with htmx (the row fragment is also what the full page
includes); without JavaScript the same forms post and redirect. A row someone else saved since it
was loaded answers 409 with their version next to the values the person posted."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from integrations.access import get_integration_for_work, get_version_for_work
from integrations.mapping_tests import selectors as mapping_test_selectors
from integrations.mapping_tests.forms import MappingTestForm
from integrations.mappings import checks as mapping_checks
from integrations.mappings import objects as object_services
from integrations.mappings import services as mapping_services
from integrations.mappings import tables as table_services
from integrations.mappings.forms import (
    CloneForm,
    ForeignObjectDeclarationForm,
    MappingRowForm,
    ObjectLinkForm,
    PreviewForm,
    ScopeLinkForm,
    TemplateMappingForm,
    TranslationTableForm,
    collection_choices,
)
from integrations.models import (
    ForeignDataObject,
    IntegrationKind,
    ObjectState,
    TemplateMapping,
    TemplateMappingRow,
    TranslationTable,
    WebhookScope,
)
from portal.services import ActionRefused
from portal.tenancy import organization_required


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


# --- Links to the data model ---------------------------------------------------------------


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

    objects = integration.foreign_objects.filter(state=ObjectState.ACCEPTED).select_related("link__collection")
    scopes = integration.scopes.select_related("link__collection")
    context = {
        "integration": integration,
        "object_rows": [(obj, form_for(obj, _object_form)) for obj in objects],
        "scope_rows": [(scope, form_for(scope, _scope_form)) for scope in scopes],
        "declaration": declaration or ForeignObjectDeclarationForm(prefix="declare", collection_choices=choices),
        "is_sdk": integration.kind == IntegrationKind.SDK,
    }
    return render(request, "integrations/mapping_links.html", context, status=status)


@organization_required
def integration_collections(request, slug):
    integration = get_integration_for_work(request, slug)
    return _links_page(request, integration)


@require_POST
@organization_required
def foreign_object_link(request, slug, public_id):
    integration = get_integration_for_work(request, slug)
    try:
        obj = integration.foreign_objects.get(public_id=public_id)
    except (ForeignDataObject.DoesNotExist, ValidationError) as exc:
        raise Http404("No such object of this integration") from exc
    form = _object_form(obj, request.POST)
    if form.is_valid():
        try:
            mapping_services.link_foreign_object(obj, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"{obj.name} is linked to {form.cleaned_data['collection'].name}.")
            return redirect(reverse("integration_collections", args=[integration.slug]) + f"#object-{obj.public_id}")
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
            return redirect(reverse("integration_collections", args=[integration.slug]) + f"#object-{obj.public_id}")
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
        mapping_services.link_scope(scope, acting_user=request.user, **form.cleaned_data)
        messages.success(request, f"{scope.name} is linked to {form.cleaned_data['collection'].name}.")
        return redirect(reverse("integration_collections", args=[integration.slug]) + f"#scope-{scope.pk}")
    return _links_page(request, integration, bound=(scope, form), status=400)


# --- Translation tables --------------------------------------------------------------------


def _get_table(integration, public_id) -> TranslationTable:
    try:
        return integration.translation_tables.get(public_id=public_id)
    except (TranslationTable.DoesNotExist, ValidationError) as exc:
        raise Http404("No such translation table") from exc


def _save_table(request, integration, form, table=None):
    try:
        return table_services.save_translation_table(
            integration,
            acting_user=request.user,
            table=table,
            name=form.cleaned_data["name"],
            rows=form.cleaned_data["entries"],
            notes=form.cleaned_data["notes"],
            loaded_version=form.cleaned_data["loaded_version"],
        )
    except table_services.TableConflict as conflict:
        form.data = form.data.copy()  # the person's values stay; saving again puts them over theirs
        form.data[form.add_prefix("loaded_version")] = table_services.table_version(conflict.current)
        form.add_error(None, ValidationError(str(conflict), code="conflict"))
        return None
    except ActionRefused as refused:
        form.add_error("name" if "name" in str(refused) else "entries", str(refused))
        return None


@organization_required
def translation_table_list(request, slug):
    integration = get_integration_for_work(request, slug)
    form = TranslationTableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        table = _save_table(request, integration, form)
        if table is not None:
            messages.success(request, f"The translation table {table.name} is saved.")
            return redirect("translation_table_list", slug=integration.slug)
    context = {"integration": integration, "tables": integration.translation_tables.all(), "form": form}
    return render(request, "integrations/mapping_tables.html", context, status=400 if form.errors else 200)


@organization_required
def translation_table_edit(request, slug, public_id):
    integration = get_integration_for_work(request, slug)
    table = _get_table(integration, public_id)
    form = TranslationTableForm(request.POST or None, initial=TranslationTableForm.initial_for(table))
    if request.method == "POST" and form.is_valid():
        if _save_table(request, integration, form, table) is not None:
            messages.success(request, f"The translation table {form.cleaned_data['name']} is saved.")
            return redirect("translation_table_list", slug=integration.slug)
    context = {"integration": integration, "table": table, "form": form}
    status = 409 if form.has_error(NON_FIELD_ERRORS, "conflict") else 400 if form.errors else 200
    return render(request, "integrations/mapping_table_form.html", context, status=status)


# --- Template mappings ---------------------------------------------------------------------


def _get_mapping(version, mapping_id) -> TemplateMapping:
    try:
        return version.template_mappings.select_related("collection", "parent").get(public_id=mapping_id)
    except (TemplateMapping.DoesNotExist, ValidationError) as exc:
        raise Http404("No such template mapping") from exc


def _get_row(mapping, row_id) -> TemplateMappingRow:
    try:
        return mapping.rows.select_related("table").get(public_id=row_id)
    except (TemplateMappingRow.DoesNotExist, ValidationError) as exc:
        raise Http404("No such row") from exc


def _tables(integration) -> list[TranslationTable]:
    return list(integration.translation_tables.only("pk", "name", "integration_id"))


@organization_required
def mapping_collection_list(request, slug, public_id):
    version = get_version_for_work(request, slug, public_id)
    mappings = version.template_mappings.select_related("collection", "parent").prefetch_related(
        Prefetch("rows", queryset=TemplateMappingRow.objects.only("pk", "mapping_id"))
    )
    context = {"integration": version.integration, "version": version, "mappings": mappings}
    return render(request, "integrations/mapping_list.html", context)


def _mapping_form(request, version, mapping=None, data=None) -> TemplateMappingForm:
    initial = {key: request.GET.get(key) for key in ("collection", "direction", "sync_type") if request.GET.get(key)}
    table_names = [t.name for t in _tables(version.integration)]
    return TemplateMappingForm(data, instance=mapping, initial=initial, version=version, table_names=table_names)


def _mapping_form_page(request, version, mapping=None):
    integration = version.integration
    form = _mapping_form(request, version, mapping, request.POST or None)
    theirs, status = None, 400
    if request.method == "POST" and form.is_valid():
        try:
            if mapping is None:
                mapping = mapping_services.create_template_mapping(version, acting_user=request.user, **form.values())
            else:
                mapping = mapping_services.update_template_mapping(
                    mapping, acting_user=request.user, expected_revision=form.cleaned_data["revision"], **form.values()
                )
        except mapping_services.MappingConflict as conflict:
            if conflict.current is None:
                messages.error(request, str(conflict))
                return redirect("mapping_collection_list", slug=integration.slug, public_id=version.public_id)
            form, theirs, status = _conflict_form(request, version, conflict), conflict.current, 409
        except ActionRefused as refused:
            form.add_error(getattr(refused, "field", "name"), str(refused))
        else:
            messages.success(request, f"{mapping.name} is saved.")
            return redirect(_detail_url(mapping))
    context = {
        "integration": integration,
        "version": version,
        "mapping": mapping,
        "form": form,
        "theirs": _their_values(form, theirs) if theirs else None,
        "their_revision": theirs.revision if theirs else None,
    }
    return render(request, "integrations/mapping_form.html", context, status=status if form.errors else 200)


def _conflict_form(request, version, conflict) -> TemplateMappingForm:
    """The person's posted values, kept, with the mapping's current revision: saving again puts
    them over the other person's knowingly (as rows do)."""
    data = request.POST.copy()
    data["revision"] = str(conflict.current.revision)
    form = _mapping_form(request, version, TemplateMapping.objects.get(pk=conflict.current.pk), data)
    form.is_valid()
    form.add_error(None, str(conflict))
    return form


def _their_values(form, theirs: TemplateMapping) -> list[dict]:
    """Each field as the other person saved it, and whether it differs from the posted value."""
    mine = getattr(form, "cleaned_data", {})
    values = []
    for key in mapping_services.MAPPING_FIELDS:
        value = getattr(theirs, key)
        display = getattr(theirs, f"get_{key}_display", None)
        shown = display() if display else ("—" if value in (None, "") else str(value))
        values.append({"label": form.fields[key].label, "value": shown, "differs": mine.get(key, value) != value})
    return values


@organization_required
def mapping_collection_create(request, slug, public_id):
    version = get_version_for_work(request, slug, public_id)
    return _mapping_form_page(request, version)


@organization_required
def mapping_collection_edit(request, slug, public_id, mapping_id):
    version = get_version_for_work(request, slug, public_id)
    mapping = _get_mapping(version, mapping_id)
    # The form edits its own copy: the instance passed to a ModelForm is changed by validation.
    return _mapping_form_page(request, version, TemplateMapping.objects.get(pk=mapping.pk))


def _detail_url(mapping, row=None) -> str:
    url = reverse(
        "mapping_collection_detail",
        args=[mapping.version.integration.slug, mapping.version.public_id, mapping.public_id],
    )
    return url + (f"#row-{row.public_id}" if row else "")


def _row_context(mapping, row, tables, form=None, field_names=None, **extra) -> dict:
    """`field_names`: the collection's, when the caller read them (the editor, for all its rows)."""
    form = form or MappingRowForm(initial=MappingRowForm.initial_for(row), tables=tables, prefix=f"row-{row.public_id}")
    version = mapping.version
    return {
        "integration": version.integration,
        "version": version,
        "mapping": mapping,
        "row": row,
        "form": form,
        "target_note": mapping_checks.target_note(mapping, row.target, field_names),
        **extra,
    }


def _editor(
    request, version, mapping, *, new_form=None, bound=None, status=200, preview=None, preview_form=None, test_form=None
):
    """The editor page; `preview` is a preview's outcome (views/mapping_preview.py) to show,
    `test_form` a posted mapping test form with its errors (views/mapping_tests.py)."""
    integration = version.integration
    tables = _tables(integration)
    rows = list(mapping.rows.select_related("table"))
    fields = list(mapping.collection.fields.all())
    row_items = []
    for row in rows:
        if bound is not None and bound["row"].pk == row.pk:
            row_items.append(bound)
        else:
            row_items.append(_row_context(mapping, row, tables, field_names=[field.name for field in fields]))
    if preview and preview.get("by_target"):
        for item in row_items:
            item["preview_row"] = preview["by_target"].get(item["row"].target)
    context = {
        "integration": integration,
        "version": version,
        "mapping": mapping,
        "row_items": row_items,
        "fields": fields,
        "unmapped": mapping_services.unmapped_required_fields(mapping, rows, fields),
        "new_form": new_form or MappingRowForm(tables=tables, prefix="new"),
        "tables": tables,
        "conflict_item": bound if bound is not None and bound.get("deleted") else None,
        "preview": preview,
        "preview_form": preview_form or PreviewForm(),
        "mapping_tests": mapping_test_selectors.tests_of_mapping(mapping),
        "test_form": test_form or MappingTestForm(),
    }
    return render(request, "integrations/mapping_detail.html", context, status=status)


@organization_required
def mapping_collection_detail(request, slug, public_id, mapping_id):
    version = get_version_for_work(request, slug, public_id)
    return _editor(request, version, _get_mapping(version, mapping_id))


@require_POST
@organization_required
def mapping_collection_clone(request, slug, public_id, mapping_id):
    version = get_version_for_work(request, slug, public_id)
    mapping = _get_mapping(version, mapping_id)
    form = CloneForm(request.POST)
    reverse_clone = form.is_valid() and form.cleaned_data["reverse"]
    try:
        clone = mapping_services.clone_template_mapping(mapping, acting_user=request.user, reverse=reverse_clone)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect(_detail_url(mapping))
    messages.success(request, f"{clone.name} is a {'reverse ' if reverse_clone else ''}clone of {mapping.name}.")
    return redirect(_detail_url(clone))


@require_POST
@organization_required
def mapping_row_create(request, slug, public_id, mapping_id):
    version = get_version_for_work(request, slug, public_id)
    mapping = _get_mapping(version, mapping_id)
    form = MappingRowForm(request.POST, tables=_tables(version.integration), mapping=mapping, prefix="new")
    if form.is_valid():
        try:
            row = mapping_services.add_mapping_row(mapping, acting_user=request.user, values=form.values())
        except ActionRefused as refused:
            form.add_error("target", str(refused))
        else:
            messages.success(request, f"The row for {row.target} is added.")
            return redirect(_detail_url(mapping, row))
    return _editor(request, version, mapping, new_form=form, status=400)


def _row_answer(request, version, mapping, item: dict, status: int):
    """The row fragment in place (htmx), else the whole editor with that row as it is now."""
    if _is_htmx(request):
        return render(request, "integrations/mapping_row.html", item, status=status)
    return _editor(request, version, mapping, bound=item, status=status)


@require_POST
@organization_required
def mapping_row_update(request, slug, public_id, mapping_id, row_id):
    version = get_version_for_work(request, slug, public_id)
    mapping = _get_mapping(version, mapping_id)
    row = _get_row(mapping, row_id)
    tables = _tables(version.integration)
    form = MappingRowForm(request.POST, tables=tables, mapping=mapping, prefix=f"row-{row.public_id}")
    if not form.is_valid() or not form.cleaned_data.get("revision"):
        if form.is_valid():
            form.add_error(None, "This form lacks the row's revision: reload the page.")
        return _row_answer(request, version, mapping, _row_context(mapping, row, tables, form, open=True), 422)
    try:
        saved = mapping_services.update_mapping_row(
            row, acting_user=request.user, expected_revision=form.cleaned_data["revision"], values=form.values()
        )
    except mapping_services.RowConflict as conflict:
        return _conflict(request, version, mapping, row, form, conflict, tables)
    except ActionRefused as refused:
        form.add_error("target", str(refused))
        return _row_answer(request, version, mapping, _row_context(mapping, row, tables, form, open=True), 422)
    if _is_htmx(request):
        return render(request, "integrations/mapping_row.html", _row_context(mapping, saved, tables, saved_now=True))
    messages.success(request, f"The row for {saved.target} is saved.")
    return redirect(_detail_url(mapping, saved))


def _conflict(request, version, mapping, row, form, conflict, tables):
    """409: their version of the row beside the values this person posted, which stay in the
    form with the row's current revision, so saving again puts them over theirs knowingly."""
    current = conflict.current
    data = request.POST.copy()
    if current is not None:
        data[f"row-{row.public_id}-revision"] = str(current.revision)
    mine = MappingRowForm(data, tables=tables, mapping=mapping, prefix=f"row-{row.public_id}")
    mine.is_valid()
    item = _row_context(
        mapping,
        current or row,
        tables,
        mine,
        open=True,
        conflict=str(conflict),
        theirs=current,
        deleted=current is None,
    )
    return _row_answer(request, version, mapping, item, 409)


@require_POST
@organization_required
def mapping_row_delete(request, slug, public_id, mapping_id, row_id):
    version = get_version_for_work(request, slug, public_id)
    mapping = _get_mapping(version, mapping_id)
    row = _get_row(mapping, row_id)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = 0
    try:
        mapping_services.delete_mapping_row(row, acting_user=request.user, expected_revision=revision)
    except mapping_services.RowConflict as conflict:
        tables = _tables(version.integration)
        item = _row_context(mapping, conflict.current or row, tables, open=True, conflict=str(conflict))
        if conflict.current is not None:
            item["conflict"] = "Someone else changed this row since you loaded it: here it is now. Delete it again?"
        return _row_answer(request, version, mapping, item, 409)
    if _is_htmx(request):
        return HttpResponse("")
    messages.success(request, f"The row for {row.target} is deleted.")
    return redirect(_detail_url(mapping))
