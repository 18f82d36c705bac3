"""Anyone signed in tells us of a version an application's list lacks."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from integrations.access import get_application_for_view
from integrations.registry import selectors, services
from integrations.registry.forms import VersionSubmissionForm
from portal.services import ActionRefused

# The submit form shows the newest versions already listed; the application's page lists them all.
LISTED_VERSIONS_SHOWN = 10
SUBMISSIONS_PER_PAGE = 25


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
    versions = selectors.newest_versions_first(application)
    shown = list(versions[:LISTED_VERSIONS_SHOWN])
    for position, version in enumerate(shown):
        version.is_latest = position == 0
    listed = len(shown) if len(shown) < LISTED_VERSIONS_SHOWN else versions.count()
    context = {"form": form, "application": application, "versions": shown, "listed_count": listed}
    return render(request, "integrations/registry/version_submit.html", context)


@require_GET
def submission_list(request):
    submissions = selectors.submissions_by(request.user)  # newest first
    # get_page answers any page parameter: not a number means the first page, too far the last.
    page = Paginator(submissions, SUBMISSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "integrations/registry/submission_list.html", {"submissions": page})
