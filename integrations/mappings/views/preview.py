"""The template mapping editor's preview: a sample source record (and its parent's, for a child
collection) run through the mapping in a sandboxed child process (integrations.formulas.isolation),
shown in place with htmx: the output record, both filter decisions and each failing row's error,
which also marks that row in the editor (out-of-band swaps of the rows' preview slots). Without
htmx the same POST renders the whole editor with the result. Nothing is saved."""

import json

from django.shortcuts import render
from django.views.decorators.http import require_POST

from integrations.access import get_version_for_work, template_mapping_of
from integrations.formulas import InputError, MappingResult, Runaway, Status, load_sample, run_mappings_isolated
from integrations.mappings.forms import PreviewForm
from integrations.mappings.runner import mapping_rows, spec_for, tables_for
from integrations.mappings.views.editor import render_editor
from portal.tenancy import organization_required

PREVIEW_TIME_LIMIT = 2.0


@require_POST
@organization_required
def mapping_preview(request, slug, public_id, mapping_id):
    version = get_version_for_work(request, slug, public_id)
    mapping = template_mapping_of(version, mapping_id)
    form = PreviewForm(request.POST)
    preview = _preview(form, mapping, version.integration)
    status = 400 if preview.get("problems") else 200
    if request.htmx:
        context = {"integration": version.integration, "version": version, "mapping": mapping, "preview": preview}
        return render(
            request, "integrations/mappings/_mapping_preview.html", {**context, "with_slots": True}, status=status
        )
    return render_editor(request, version, mapping, preview=preview, preview_form=form, status=status)


def _preview(form: PreviewForm, mapping, integration) -> dict:
    """What the result fragment shows: `problems` with the input, else the run's outcome."""
    if not form.is_valid():
        return {
            "problems": [
                f"{form.fields[name].label}: {error}" for name, errors in form.errors.items() for error in errors
            ]
        }
    try:
        record = load_sample(form.cleaned_data["sample"])
    except InputError as error:
        return {"problems": [f"Sample source record: {error}"]}
    parent = None
    if form.cleaned_data["parent"]:
        try:
            parent = load_sample(form.cleaned_data["parent"])
        except InputError as error:
            return {"problems": [f"Parent record: {error}"]}
    rows = mapping_rows(mapping)
    job = (spec_for(mapping, rows), record, parent, tables_for(integration))
    result = run_mappings_isolated([job], time_limit=PREVIEW_TIME_LIMIT)[0]
    if isinstance(result, Runaway):
        return {"runaway": result.message, "rows": [{"row": row} for row in rows]}
    return _outcome(result, rows)


def _outcome(result: MappingResult, rows) -> dict:
    by_target = {row_result.target: row_result for row_result in result.rows}
    items = []
    for row in rows:
        row_result = by_target.get(row.target)
        item = {"row": row, "result": row_result}
        if row_result is not None and row_result.ok:
            item["value"] = json.dumps(row_result.value, ensure_ascii=False)
        items.append(item)
    return {
        "result": result,
        "status": result.status.value,
        "skipped": result.status is Status.SKIPPED,
        "failed": result.status is Status.FAILED,
        "output": json.dumps(result.output, indent=2, ensure_ascii=False),
        "mapping_filter": _mapping_filter_decision(result),
        "error_filter": _error_filter_decision(result),
        "rows": items,
        "failed_rows": [item for item in items if item["result"] is not None and not item["result"].ok],
        "by_target": by_target,
    }


def _mapping_filter_decision(result: MappingResult) -> str:
    outcome = result.mapping_filter
    if not outcome.applied:
        return "kept: no mapping filter, every record is mapped"
    return outcome.message


def _error_filter_decision(result: MappingResult) -> str:
    outcome = result.error_filter
    if not result.mapping_filter.passed:
        return "not evaluated: the mapping filter did not keep the record"
    if not outcome.applied:
        return "passed: no error filter"
    if outcome.passed:
        return "passed: the error filter found nothing wrong"
    if outcome.message.startswith("the error filter failed"):
        return outcome.message
    return f"failed the record: {outcome.message}"
