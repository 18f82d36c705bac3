"""Every certification object a view reaches goes through one of these: the integration's owner
organization sees its requests; an associated integrator gets 403 (integrations.access), anyone
else 404."""

from django.core.exceptions import ValidationError
from django.http import Http404

from certification.models import CertificationRequest
from integrations.access import get_integration_for_owner
from integrations.models import IntegrationVersion


def get_version_for_certification(request, slug: str, public_id) -> IntegrationVersion:
    integration = get_integration_for_owner(request, slug)
    try:
        return integration.versions.select_related("integration__owner").get(public_id=public_id)
    except (IntegrationVersion.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No such version of this integration") from exc


def get_request_for_owner(request, slug: str, request_id) -> CertificationRequest:
    integration = get_integration_for_owner(request, slug)
    try:
        return CertificationRequest.objects.select_related(
            "version__integration__owner", "requested_by", "decided_by", "organization"
        ).get(public_id=request_id, version__integration=integration, organization=request.organization)
    except (CertificationRequest.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No such certification request") from exc
