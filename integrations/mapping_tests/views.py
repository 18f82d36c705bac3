"""Mapping tests: added and deleted on the template mapping editor, edited on their own page, and
a version's page where
"Run all tests" queues a run whose progress htmx polls, with the latest run's results (a failed
test shows its field-by-field diff, an error its message). Anyone who may work on the
integration works here; anyone else gets 404 (integrations.access)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integrations.access import (
    get_mapping_test_for_work,
    get_version_for_work,
    mapping_test_of,
    mapping_test_run_of,
    template_mapping_of,
)
from integrations.mapping_tests import selectors as mapping_test_selectors
from integrations.mapping_tests import services as mapping_test_services
from integrations.mapping_tests.forms import MappingTestEditForm, MappingTestForm
from integrations.mapping_tests.services import MappingTestConflict, edit_version
from integrations.mappings.views.editor import render_editor
from integrations.models import MappingTest
from portal.form_tokens import once_per_form_token
from portal.services import ActionRefused
from portal.tenancy import organization_required


def _tests_url(mapping, anchor: str = "mapping-tests") -> str:
    url = reverse(
        "mapping_collection_detail",
        args=[mapping.version.integration.slug, mapping.version.public_id, mapping.public_id],
    )
    return f"{url}#{anchor}"


@require_POST
@organization_required
@once_per_form_token
def mapping_test_create(request, slug, public_id, mapping_id):
    version = get_version_for_work(request, slug, public_id)
    mapping = template_mapping_of(version, mapping_id)
    form = MappingTestForm(request.POST)
    if form.is_valid():
        try:
            test = mapping_test_services.create_mapping_test(mapping, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"The test “{test.name}” is saved. Run all tests to see it pass.")
            return redirect(_tests_url(mapping))
    return render_editor(request, version, mapping, test_form=form, status=400)


@require_http_methods(["GET", "POST"])
@organization_required
def mapping_test_edit(request, slug, public_id, mapping_id, test_id):
    """Name, flow, sample, parent and expected output, checked as when the test was added; a saved
    change makes the test's earlier results stop counting until the next run."""
    test = get_mapping_test_for_work(request, slug, public_id, mapping_id, test_id)
    back_to_runs = request.GET.get("from") == "runs"
    form = MappingTestEditForm(request.POST or None, initial=MappingTestEditForm.initial_for(test))
    theirs, conflict_message = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            test = mapping_test_services.update_mapping_test(test, acting_user=request.user, **form.cleaned_data)
        except MappingTestConflict as conflict:
            theirs = conflict.current
            # The person's values stay; saving them again now knowingly puts them over theirs.
            data = request.POST.copy()
            data["loaded_version"] = edit_version(theirs)
            form = MappingTestEditForm(data)
            conflict_message = str(conflict)
        except ActionRefused as refused:
            form.add_refusal(refused)
        else:
            messages.success(request, f"The test “{test.name}” is saved. Run all tests to see how it does now.")
            if back_to_runs:
                return redirect(reverse("mapping_test_runs", args=[slug, public_id]) + f"#result-{test.public_id}")
            return redirect(_tests_url(test.mapping, f"test-{test.public_id}"))
    version = test.mapping.version
    context = {
        "integration": version.integration,
        "version": version,
        "mapping": test.mapping,
        "test": test,
        "form": form,
        "back_to_runs": back_to_runs,
        "theirs": theirs and MappingTestEditForm.initial_for(theirs),
        "conflict_message": conflict_message,
    }
    status = 409 if theirs else 400 if form.errors else 200
    return render(request, "integrations/mapping_tests/mapping_test_form.html", context, status=status)


@require_POST
@organization_required
def mapping_test_delete(request, slug, public_id, mapping_id, test_id):
    version = get_version_for_work(request, slug, public_id)
    mapping = template_mapping_of(version, mapping_id)
    test = mapping_test_of(mapping, test_id)
    try:
        mapping_test_services.delete_mapping_test(test, acting_user=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"The test “{test.name}” is deleted.")
    return redirect(_tests_url(mapping))


@require_GET
@organization_required
def mapping_test_runs(request, slug, public_id):
    version = get_version_for_work(request, slug, public_id)
    run = mapping_test_selectors.latest_run(version)
    context = {
        "integration": version.integration,
        "version": version,
        "run": run,
        "results": mapping_test_selectors.run_results(run) if run and run.is_finished else [],
        "test_count": MappingTest.objects.filter(mapping__version=version).count(),
    }
    return render(request, "integrations/mapping_tests/mapping_test_runs.html", context)


@require_POST
@organization_required
def mapping_test_run_start(request, slug, public_id):
    version = get_version_for_work(request, slug, public_id)
    try:
        run = mapping_test_services.start_mapping_test_run(version, acting_user=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{run.total} test{' is' if run.total == 1 else 's are'} queued.")
    return redirect("mapping_test_runs", slug=version.integration.slug, public_id=version.public_id)


@require_GET
@organization_required
def mapping_test_run_status(request, slug, public_id, run_id):
    """The progress fragment htmx polls; once the run has finished, the page reloads with the results."""
    version = get_version_for_work(request, slug, public_id)
    run = mapping_test_run_of(version, run_id)
    context = {"integration": version.integration, "version": version, "run": run}
    response = render(request, "integrations/mapping_tests/_mapping_test_progress.html", context)
    if run.is_finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response
