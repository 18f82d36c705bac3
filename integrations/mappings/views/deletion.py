"""Deleting a translation table or a template mapping, and removing a foreign data object declared
by hand: a page says what goes with it (or, for a table still in use, what uses it; for an object
an import proposed, where to drop it instead), and its form posts to the action, which answers only POST.
Anyone who may work on the integration may delete; anyone else gets 404 (integrations.access)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from integrations.access import (
    get_foreign_object_for_work,
    get_template_mapping_for_work,
    get_translation_table_for_work,
)
from integrations.mappings import deletion as mapping_delete_services
from integrations.mappings import objects as object_services
from integrations.mappings import table_uses
from integrations.mappings.services import MappingConflict
from portal.services import ActionRefused
from portal.tenancy import organization_required


def _table_page(request, table, *, refusal: str = "", status: int = 200):
    context = {
        "integration": table.integration,
        "table": table,
        "uses": table_uses.translation_table_uses(table),
        "refusal": refusal,
    }
    return render(request, "integrations/mappings/translation_table_delete.html", context, status=status)


@require_GET
@organization_required
def translation_table_delete_confirm(request, slug, public_id):
    return _table_page(request, get_translation_table_for_work(request, slug, public_id))


@require_POST
@organization_required
def translation_table_delete(request, slug, public_id):
    table = get_translation_table_for_work(request, slug, public_id)
    try:
        mapping_delete_services.delete_translation_table(table, acting_user=request.user)
    except ActionRefused as refused:
        return _table_page(request, table, refusal=str(refused), status=409)
    messages.success(request, f"The translation table {table.name} is deleted.")
    return redirect("translation_table_list", slug=table.integration.slug)


def _mapping_page(request, mapping, *, conflict: str = "", status: int = 200):
    version = mapping.version
    context = {
        "integration": version.integration,
        "version": version,
        "mapping": mapping,
        "gone": mapping_delete_services.what_goes_with(mapping),
        "conflict": conflict,
    }
    return render(request, "integrations/mappings/mapping_delete.html", context, status=status)


@require_GET
@organization_required
def mapping_collection_delete_confirm(request, slug, public_id, mapping_id):
    return _mapping_page(request, get_template_mapping_for_work(request, slug, public_id, mapping_id))


@require_POST
@organization_required
def mapping_collection_delete(request, slug, public_id, mapping_id):
    mapping = get_template_mapping_for_work(request, slug, public_id, mapping_id)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = 0  # no revision matches: the page is shown again with what goes now
    try:
        gone = mapping_delete_services.delete_template_mapping(
            mapping, acting_user=request.user, expected_revision=revision
        )
    except MappingConflict as conflict:
        current = conflict.current or mapping
        current.version = mapping.version
        return _mapping_page(request, current, conflict=str(conflict), status=409)
    except ActionRefused as refused:
        return _mapping_page(request, mapping, conflict=str(refused), status=409)
    if gone is not None:
        messages.success(request, f"The template mapping {mapping.name} is deleted, with {gone}.")
    return redirect("mapping_collection_list", slug=slug, public_id=public_id)


def _object_page(request, obj, *, refusal: str = "", status: int = 200):
    context = {
        "integration": obj.integration,
        "obj": obj,
        "link": getattr(obj, "link", None),
        "refusal": refusal or object_services.removal_refused(obj),
    }
    return render(request, "integrations/mappings/foreign_object_remove.html", context, status=status)


@require_GET
@organization_required
def foreign_object_remove_confirm(request, slug, public_id):
    return _object_page(request, get_foreign_object_for_work(request, slug, public_id))


@require_POST
@organization_required
def foreign_object_remove(request, slug, public_id):
    obj = get_foreign_object_for_work(request, slug, public_id)
    try:
        removed = object_services.remove_foreign_object(obj, acting_user=request.user)
    except ActionRefused as refused:
        return _object_page(request, obj, refusal=str(refused), status=409)
    if removed:
        messages.success(request, f"{obj.name} is removed, with its link to the data model.")
    return redirect("integration_collections", slug=slug)
