"""A version's certification: the request form (with the failing rules when it cannot be sent),
the request page (automated checks with their progress, the history, withdraw and answer), and
the progress fragment htmx polls. Only members of the integration's owner reach them
(certification.access)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from certification.access import get_request_for_owner, get_version_for_certification
from certification.requests import selectors, services
from certification.requests.forms import CommentForm, RequestCertificationForm
from portal.services import ActionRefused
from portal.tenancy import organization_required


@organization_required
def certification_request_create(request, slug, public_id):
    version = get_version_for_certification(request, slug, public_id)
    form = RequestCertificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_ = services.submit_certification_request(
                version,
                acting_user=request.user,
                acting_organization=request.organization,
                message=form.cleaned_data["message"],
            )
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Certification of version {version.number} is requested: the checks run now.")
            return redirect("certification_request_detail", slug=slug, request_id=request_.public_id)
    context = {
        "integration": version.integration,
        "version": version,
        "form": form,
        "open_request": selectors.open_request(version),
        "failing": services.failing_rules(version),
        "earlier": selectors.requests_of_version(version),
    }
    return render(request, "certification/requests/request_create.html", context)


def _detail_context(request_) -> dict:
    return {
        "integration": request_.version.integration,
        "version": request_.version,
        "request_": request_,
        "checks": selectors.latest_checks(request_),
        "history": selectors.history(request_),
    }


@require_GET
@organization_required
def certification_request_detail(request, slug, request_id):
    request_ = get_request_for_owner(request, slug, request_id)
    context = _detail_context(request_) | {
        "withdraw_form": CommentForm(required=False, label="Why (optional)"),
        "resubmit_form": CommentForm(label="Your answer to the reviewers"),
    }
    return render(request, "certification/requests/request_detail.html", context)


@require_GET
@organization_required
def certification_request_status(request, slug, request_id):
    """The checks' progress, polled by htmx; once they have finished the page reloads with the results."""
    request_ = get_request_for_owner(request, slug, request_id)
    response = render(request, "certification/requests/_checks_progress.html", _detail_context(request_))
    if not request_.checks_running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def _move(request, slug, request_id, action, *, required: bool, done: str):
    request_ = get_request_for_owner(request, slug, request_id)
    form = CommentForm(request.POST, required=required)
    if not form.is_valid():
        messages.error(request, services.COMMENT_REQUIRED if required else "A comment has at most 4000 characters.")
    else:
        try:
            action(
                request_,
                acting_user=request.user,
                acting_organization=request.organization,
                comment=form.cleaned_data["comment"],
            )
        except ActionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, done)
    return redirect("certification_request_detail", slug=slug, request_id=request_id)


@require_POST
@organization_required
def certification_request_withdraw(request, slug, request_id):
    return _move(
        request,
        slug,
        request_id,
        services.withdraw_certification_request,
        required=False,
        done="The certification request is withdrawn.",
    )


@require_POST
@organization_required
def certification_request_resubmit(request, slug, request_id):
    return _move(
        request,
        slug,
        request_id,
        services.resubmit_certification_request,
        required=True,
        done="Your answer is sent and the checks run again.",
    )
