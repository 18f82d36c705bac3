"""Workflow templates in the portal: the submission form for a version, the integration's templates
(approved ones for everyone who sees the integration, the rest for their submitter and the
integration's integrators), a template's page and its definition as a JSON download, and the
carry-over of an earlier version's templates. Access goes through workflow_templates.access."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from certification.workflow_templates import selectors, services
from certification.workflow_templates.access import (
    get_integration_for_templates,
    get_template_for_view,
    get_version_for_template_submission,
)
from certification.workflow_templates.forms import WorkflowTemplateForm
from integrations.access import get_version_for_work
from portal.services import ActionRefused
from portal.tenancy import organization_required


@organization_required
def workflow_template_submit(request, slug, public_id):
    version = get_version_for_template_submission(request, slug, public_id)
    form = WorkflowTemplateForm(request.POST if request.method == "POST" else None)
    reasons = []
    if request.method == "POST" and form.is_valid():
        try:
            template = services.submit_workflow_template(
                version,
                acting_user=request.user,
                acting_organization=request.organization,
                fields=form.template_fields(),
            )
        except services.TemplateDoesNotFit as unfit:
            form.add_error(None, f"The workflow template does not fit version {version.number}; nothing was saved.")
            reasons = unfit.reasons
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"“{template.name}” is submitted: Red Rook staff review it.")
            return redirect("workflow_template_detail", slug=slug, template_id=template.public_id)
    context = {
        "integration": version.integration,
        "version": version,
        "form": form,
        "reasons": reasons,
        **selectors.submission_reference(version),
    }
    return render(request, "certification/workflow_templates/template_submit.html", context, status=_status(form))


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@login_not_required
@require_GET
def workflow_template_list(request, slug):
    integration = get_integration_for_templates(request, slug)
    context = {
        "integration": integration,
        "approved": selectors.approved_templates(integration),
        "submissions": selectors.own_submissions(integration, request.organization),
        "submittable": selectors.certified_versions(integration)
        if services.may_submit(request.organization, integration)
        else [],
    }
    return render(request, "certification/workflow_templates/template_list.html", context)


@login_not_required
@require_GET
def workflow_template_detail(request, slug, template_id):
    template = get_template_for_view(request, slug, template_id)
    context = {
        "integration": template.version.integration,
        "template": template,
        "definition": json.dumps(template.definition, indent=2),
    }
    return render(request, "certification/workflow_templates/template_detail.html", context)


@login_not_required
@require_GET
def workflow_template_definition(request, slug, template_id):
    """The template as one JSON document: what it is, for which version, and its definition."""
    template = get_template_for_view(request, slug, template_id)
    version = template.version
    document = {
        "name": template.name,
        "description": template.description,
        "setup_notes": template.setup_notes,
        "integration": version.integration.name,
        "integration_version": version.number,
        "status": template.status,
        **template.definition,
    }
    response = HttpResponse(json.dumps(document, indent=2), content_type="application/json")
    filename = f"{slugify(version.integration.name)}-{version.number}-{slugify(template.name) or 'template'}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@organization_required
def workflow_template_carry_over(request, slug, public_id):
    version = get_version_for_work(request, slug, public_id)
    try:
        carried, skipped = services.carry_over_workflow_templates(
            version, acting_user=request.user, acting_organization=request.organization
        )
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        if carried:
            names = ", ".join(f"“{t.name}”" for t in carried)
            messages.success(request, f"Submitted again for version {version.number}: {names}.")
        for reason in skipped:
            messages.error(request, f"Not carried over: {reason}")
    return redirect("integration_detail", slug=slug)
