"""Anyone signed in tells us of a version an application's list lacks."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from integrations.access import get_application_for_view
from integrations.registry import selectors, services
from integrations.registry.forms import VersionSubmissionForm
from portal.services import ActionRefused


def version_submit(request, slug):
    application = get_application_for_view(request, slug)
    form = VersionSubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submit_version(
                application, user=request.user, organization=request.organization, **form.cleaned_data
            )
        except ActionRefused as refused:
            form.add_error("label", str(refused))
        else:
            messages.success(
                request,
                f"Thank you. Red Rook staff will check {application.name} {submission.label} "
                f"and email you at {request.user.email} when it is decided.",
            )
            return redirect("application_detail", slug=application.slug)
    context = {"form": form, "application": application, "versions": selectors.application_versions(application)}
    return render(request, "integrations/registry/version_submit.html", context)


@require_GET
def submission_list(request):
    return render(
        request, "integrations/registry/submission_list.html", {"submissions": selectors.submissions_by(request.user)}
    )
