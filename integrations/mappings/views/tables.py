"""Translation tables: the lookup tables that translation rows and formulas of an integration use."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from integrations.access import get_integration_for_work, translation_table_of
from integrations.mappings import tables as table_services
from integrations.mappings.forms import (
    TranslationTableForm,
)
from portal.services import ActionRefused
from portal.tenancy import organization_required

TABLES_PER_PAGE = 50


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
    tables = integration.translation_tables.order_by("name", "pk")
    # get_page answers any page parameter: not a number means the first page, too far the last.
    page = Paginator(tables, TABLES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"integration": integration, "page": page, "form": form}
    return render(request, "integrations/mappings/mapping_tables.html", context, status=400 if form.errors else 200)


@organization_required
def translation_table_edit(request, slug, public_id):
    integration = get_integration_for_work(request, slug)
    table = translation_table_of(integration, public_id)
    form = TranslationTableForm(request.POST or None, initial=TranslationTableForm.initial_for(table))
    if request.method == "POST" and form.is_valid():
        if _save_table(request, integration, form, table) is not None:
            messages.success(request, f"The translation table {form.cleaned_data['name']} is saved.")
            return redirect("translation_table_list", slug=integration.slug)
    context = {"integration": integration, "table": table, "form": form}
    status = 409 if form.has_error(NON_FIELD_ERRORS, "conflict") else 400 if form.errors else 200
    return render(request, "integrations/mappings/mapping_table_form.html", context, status=status)
