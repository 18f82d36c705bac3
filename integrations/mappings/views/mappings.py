"""Template mappings of a version's sandbox: the list, and creating and editing a mapping's own fields
(its rows are edited in the editor, editor.py)."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render

from integrations.access import get_version_for_work, template_mapping_of
from integrations.mappings import services as mapping_services
from integrations.mappings.forms import (
    TemplateMappingForm,
)
from integrations.mappings.views.editor import detail_url, tables_of
from integrations.models import (
    TemplateMapping,
    TemplateMappingRow,
)
from portal.form_tokens import once_per_form_token
from portal.services import ActionRefused
from portal.tenancy import organization_required


@organization_required
def mapping_collection_list(request, slug, public_id):
    version = get_version_for_work(request, slug, public_id)
    mappings = version.template_mappings.select_related("collection", "parent").prefetch_related(
        Prefetch("rows", queryset=TemplateMappingRow.objects.only("pk", "mapping_id"))
    )
    context = {"integration": version.integration, "version": version, "mappings": mappings}
    return render(request, "integrations/mappings/mapping_list.html", context)


def _mapping_form(request, version, mapping=None, data=None) -> TemplateMappingForm:
    initial = {key: request.GET.get(key) for key in ("collection", "direction", "sync_type") if request.GET.get(key)}
    table_names = [t.name for t in tables_of(version.integration)]
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
            return redirect(detail_url(mapping))
    context = {
        "integration": integration,
        "version": version,
        "mapping": mapping,
        "form": form,
        "theirs": _their_values(form, theirs) if theirs else None,
        "their_revision": theirs.revision if theirs else None,
    }
    return render(request, "integrations/mappings/mapping_form.html", context, status=status if form.errors else 200)


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
@once_per_form_token
def mapping_collection_create(request, slug, public_id):
    version = get_version_for_work(request, slug, public_id)
    return _mapping_form_page(request, version)


@organization_required
def mapping_collection_edit(request, slug, public_id, mapping_id):
    version = get_version_for_work(request, slug, public_id)
    mapping = template_mapping_of(version, mapping_id)
    # The form edits its own copy: the instance passed to a ModelForm is changed by validation.
    return _mapping_form_page(request, version, TemplateMapping.objects.get(pk=mapping.pk))
