"""The template mapping editor of a version's sandbox. Owners' members and associated integrators
work here; anyone else gets 404.

Rows are saved one at a time, in place with htmx (the row fragment is also what the full page
includes); without JavaScript the same forms post and redirect. A row someone else saved since it
was loaded answers 409 with their version next to the values the person posted."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from integrations.access import get_version_for_work, mapping_row_of, template_mapping_of
from integrations.mapping_tests import selectors as mapping_test_selectors
from integrations.mapping_tests.forms import MappingTestForm
from integrations.mappings import checks as mapping_checks
from integrations.mappings import fields as mapping_fields
from integrations.mappings import services as mapping_services
from integrations.mappings.forms import (
    CloneForm,
    MappingRowForm,
    PreviewForm,
)
from integrations.models import Direction, TranslationTable
from portal.services import ActionRefused
from portal.tenancy import organization_required

# The forms adding a row: below the rows (NEW_SLOT, also their prefix) and above them (TOP_SLOT);
# a row's own form is in the slot of its public id.
NEW_SLOT = "new"
TOP_SLOT = "top"


def tables_of(integration) -> list[TranslationTable]:
    return list(integration.translation_tables.only("pk", "name", "integration_id"))


def detail_url(mapping, row=None) -> str:
    url = reverse(
        "mapping_collection_detail",
        args=[mapping.version.integration.slug, mapping.version.public_id, mapping.public_id],
    )
    return url + (f"#row-{row.public_id}" if row else "")


def pickers_of(mapping, fields=None) -> mapping_fields.MappingPickers:
    """Both sides' fields; `fields`: the collection's, when the caller read them (else one query)."""
    return mapping_fields.pickers_for(mapping, mapping.collection.fields.all() if fields is None else fields)


def row_context(mapping, row, tables, form=None, pickers=None, **extra) -> dict:
    """`pickers`: the mapping's, when the caller read them (the editor, for all its rows)."""
    form = form or MappingRowForm(initial=MappingRowForm.initial_for(row), tables=tables, prefix=f"row-{row.public_id}")
    pickers = pickers or pickers_of(mapping)
    ours = pickers.targets if mapping.direction == Direction.TO_IPAAS else pickers.sources
    version = mapping.version
    return {
        "integration": version.integration,
        "version": version,
        "mapping": mapping,
        "row": row,
        "form": form,
        "target_field": pickers.targets.get(row.target),
        "target_note": mapping_checks.target_note(mapping, row.target, [choice.path for choice in ours.choices]),
        **extra,
    }


def new_row_form(tables, data=None, *, at_top: bool = False, mapping=None, initial=None) -> MappingRowForm:
    """The form adding a row below the rows, or (at_top) the one above them: the same prefix, so
    one view takes both, and ids of their own (TOP_SLOT's)."""
    auto_id = f"{TOP_SLOT}_%s" if at_top else "id_%s"
    return MappingRowForm(data, initial=initial, tables=tables, mapping=mapping, prefix=NEW_SLOT, auto_id=auto_id)


def render_editor(
    request,
    version,
    mapping,
    *,
    new_form=None,
    new_form_at="",
    bound=None,
    status=200,
    preview=None,
    preview_form=None,
    test_form=None,
):
    """The editor page; `new_form` a posted row form with its errors (`new_form_at` "top" when it
    is the form above the rows), `preview` a preview's outcome (views/mapping_preview.py) to show,
    `test_form` a posted mapping test form with its errors (views/mapping_tests.py)."""
    integration = version.integration
    tables = tables_of(integration)
    rows = list(mapping.rows.select_related("table"))
    fields = list(mapping.collection.fields.all())
    pickers = pickers_of(mapping, fields)
    row_items = []
    for row in rows:
        if bound is not None and bound["row"].pk == row.pk:
            row_items.append(bound)
        else:
            row_items.append(row_context(mapping, row, tables, pickers=pickers))
    if preview and preview.get("by_target"):
        for item in row_items:
            item["preview_row"] = preview["by_target"].get(item["row"].target)
    context = {
        "integration": integration,
        "version": version,
        "mapping": mapping,
        "row_items": row_items,
        "fields": fields,
        "pickers": pickers,
        "unmapped": mapping_services.unmapped_required_fields(mapping, rows, fields),
        "new_form": new_form if new_form is not None and new_form_at != TOP_SLOT else new_row_form(tables),
        "top_form": new_form if new_form is not None and new_form_at == TOP_SLOT else new_row_form(tables, at_top=True),
        "new_form_at": new_form_at,
        "tables": tables,
        "conflict_item": bound if bound is not None and bound.get("deleted") else None,
        "preview": preview,
        "preview_form": preview_form or PreviewForm(),
        "mapping_tests": mapping_test_selectors.tests_of_mapping(mapping),
        "tests_full": mapping_test_selectors.version_is_full(version),
        "test_form": test_form or MappingTestForm(),
    }
    return render(request, "integrations/mappings/mapping_detail.html", context, status=status)


@organization_required
def mapping_collection_detail(request, slug, public_id, mapping_id):
    version = get_version_for_work(request, slug, public_id)
    return render_editor(request, version, template_mapping_of(version, mapping_id))


@require_GET
@organization_required
def mapping_row_fields(request, slug, public_id, mapping_id):
    """A row form's inputs for the kind just chosen, with what was typed so far (htmx swaps them
    in place); `slot` is "new" or the row's public id."""
    version = get_version_for_work(request, slug, public_id)
    mapping = template_mapping_of(version, mapping_id)
    slot = request.GET.get("slot", NEW_SLOT)
    row_name = "The new row at the top" if slot == TOP_SLOT else "The new row"
    if slot not in (NEW_SLOT, TOP_SLOT):
        row = mapping_row_of(mapping, slot)
        slot = str(row.public_id)
        row_name = f"Row {list(mapping.rows.values_list('pk', flat=True)).index(row.pk) + 1}"
    prefix = NEW_SLOT if slot in (NEW_SLOT, TOP_SLOT) else f"row-{slot}"
    initial = MappingRowForm.initial_from_query(request.GET, prefix)
    tables = tables_of(version.integration)
    if prefix == NEW_SLOT:
        form = new_row_form(tables, at_top=slot == TOP_SLOT, initial=initial)
    else:
        form = MappingRowForm(initial=initial, tables=tables, prefix=prefix)
    inputs = form.kind_inputs()
    context = {
        "integration": version.integration,
        "version": version,
        "mapping": mapping,
        "form": form,
        "slot": slot,
        # Said in the editor's status region once the inputs are swapped; focus moves to the first.
        "announcement": form.kind_announcement(row_name),
        "focus_id": inputs[0].id_for_label if inputs else "",
    }
    return render(request, "integrations/mappings/_mapping_row_fields.html", context)


@require_POST
@organization_required
def mapping_collection_clone(request, slug, public_id, mapping_id):
    version = get_version_for_work(request, slug, public_id)
    mapping = template_mapping_of(version, mapping_id)
    form = CloneForm(request.POST)
    reverse_clone = form.is_valid() and form.cleaned_data["reverse"]
    try:
        clone = mapping_services.clone_template_mapping(mapping, acting_user=request.user, reverse=reverse_clone)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect(detail_url(mapping))
    messages.success(request, f"{clone.name} is a {'reverse ' if reverse_clone else ''}clone of {mapping.name}.")
    return redirect(detail_url(clone))


@require_POST
@organization_required
def mapping_row_create(request, slug, public_id, mapping_id):
    version = get_version_for_work(request, slug, public_id)
    mapping = template_mapping_of(version, mapping_id)
    at_top = request.POST.get("at") == "top"
    form = new_row_form(tables_of(version.integration), request.POST, at_top=at_top, mapping=mapping)
    if form.is_valid():
        try:
            row = mapping_services.add_mapping_row(
                mapping, acting_user=request.user, values=form.values(), at_top=at_top
            )
        except ActionRefused as refused:
            form.add_error("target", str(refused))
        else:
            messages.success(request, f"The row for {row.target} is added{' at the top' if at_top else ''}.")
            return redirect(detail_url(mapping, row))
    return render_editor(request, version, mapping, new_form=form, new_form_at=TOP_SLOT if at_top else "", status=400)


def _row_answer(request, version, mapping, item: dict, status: int):
    """The row fragment in place (htmx), else the whole editor with that row as it is now."""
    if request.htmx:
        return render(request, "integrations/mappings/mapping_row.html", item, status=status)
    return render_editor(request, version, mapping, bound=item, status=status)


@require_POST
@organization_required
def mapping_row_update(request, slug, public_id, mapping_id, row_id):
    version = get_version_for_work(request, slug, public_id)
    mapping = template_mapping_of(version, mapping_id)
    row = mapping_row_of(mapping, row_id)
    tables = tables_of(version.integration)
    form = MappingRowForm(request.POST, tables=tables, mapping=mapping, prefix=f"row-{row.public_id}")
    if not form.is_valid() or not form.cleaned_data.get("revision"):
        if form.is_valid():
            form.add_error(None, "This form lacks the row's revision: reload the page.")
        return _row_answer(request, version, mapping, row_context(mapping, row, tables, form, open=True), 422)
    try:
        saved = mapping_services.update_mapping_row(
            row, acting_user=request.user, expected_revision=form.cleaned_data["revision"], values=form.values()
        )
    except mapping_services.RowConflict as conflict:
        return _conflict(request, version, mapping, row, form, conflict, tables)
    except ActionRefused as refused:
        form.add_error("target", str(refused))
        return _row_answer(request, version, mapping, row_context(mapping, row, tables, form, open=True), 422)
    if request.htmx:
        return render(
            request, "integrations/mappings/mapping_row.html", row_context(mapping, saved, tables, saved_now=True)
        )
    messages.success(request, f"The row for {saved.target} is saved.")
    return redirect(detail_url(mapping, saved))


def _conflict(request, version, mapping, row, form, conflict, tables):
    """409: their version of the row beside the values this person posted, which stay in the
    form with the row's current revision, so saving again puts them over theirs knowingly."""
    current = conflict.current
    data = request.POST.copy()
    if current is not None:
        data[f"row-{row.public_id}-revision"] = str(current.revision)
    mine = MappingRowForm(data, tables=tables, mapping=mapping, prefix=f"row-{row.public_id}")
    mine.is_valid()
    item = row_context(
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
    mapping = template_mapping_of(version, mapping_id)
    row = mapping_row_of(mapping, row_id)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = 0
    try:
        mapping_services.delete_mapping_row(row, acting_user=request.user, expected_revision=revision)
    except mapping_services.RowConflict as conflict:
        tables = tables_of(version.integration)
        item = row_context(mapping, conflict.current or row, tables, open=True, conflict=str(conflict))
        if conflict.current is not None:
            item["conflict"] = "Someone else changed this row since you loaded it: here it is now. Delete it again?"
        return _row_answer(request, version, mapping, item, 409)
    except ActionRefused as refused:
        item = row_context(mapping, row, tables_of(version.integration), open=True, conflict=str(refused))
        return _row_answer(request, version, mapping, item, 409)
    if request.htmx:
        return HttpResponse("")
    messages.success(request, f"The row for {row.target} is deleted.")
    return redirect(detail_url(mapping))
