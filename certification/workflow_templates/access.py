"""Who reaches which workflow template. An integration is seen by everyone once it is publicly
listed (Compatible or above), otherwise only by those who work on it; anyone else gets 404.
Approved templates are seen by all who see the integration; one not approved (yet) only by the
submitting organization and the integration's integrators."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from certification.workflow_templates.models import WorkflowTemplate
from certification.workflow_templates.services import NOT_ALLOWED, may_submit
from integrations.access import may_work_on
from integrations.models import Integration, IntegrationVersion, Tier


def get_integration_for_templates(request, slug: str) -> Integration:
    try:
        integration = Integration.objects.select_related("application__provider", "owner").get(slug=slug)
    except Integration.DoesNotExist as exc:
        raise Http404("No such integration") from exc
    if integration.tier < Tier.COMPATIBLE and not may_work_on(request.organization, integration):
        raise Http404("No such integration")
    return integration


def get_version_for_template_submission(request, slug: str, public_id) -> IntegrationVersion:
    """A version of an integration the acting organization sees and may submit templates for
    (its integrators, any MiSP); another organization that sees it gets 403."""
    integration = get_integration_for_templates(request, slug)
    if not may_submit(request.organization, integration):
        raise PermissionDenied(NOT_ALLOWED)
    try:
        version = integration.versions.get(public_id=public_id)
    except (IntegrationVersion.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No such version of this integration") from exc
    version.integration = integration
    return version


def may_see_unapproved(request, template: WorkflowTemplate, integration: Integration) -> bool:
    organization = request.organization
    return organization is not None and (
        template.organization_id == organization.pk or may_work_on(organization, integration)
    )


def get_template_for_view(request, slug: str, template_id) -> WorkflowTemplate:
    integration = get_integration_for_templates(request, slug)
    try:
        template = WorkflowTemplate.objects.select_related("version", "organization", "submitted_by").get(
            public_id=template_id, version__integration=integration
        )
    except (WorkflowTemplate.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No such workflow template") from exc
    if not template.is_approved and not may_see_unapproved(request, template, integration):
        raise Http404("No such workflow template")
    template.version.integration = integration
    return template
