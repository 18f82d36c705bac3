"""Certification test worlds: a version whose Certified checklist passes but the approval, with a
real (valid) OpenAPI 2.0 document stored, so the automated checks read what production reads."""

from django.core.files.base import ContentFile

from certification.requests import runner, services
from integrations.models import OpenAPIImport
from tests.integrations import tier_world
from tests.integrations.openapi.builders import as_json, ok, swagger

DOCUMENT = swagger({"/customers": {"get": {"responses": ok()}, "post": {"responses": ok()}}})


def store_valid_document(integration) -> None:
    document = OpenAPIImport.objects.get(integration=integration)
    document.document.save("magento.json", ContentFile(as_json(DOCUMENT)), save=True)


def certifiable(owner, user):
    """(integration, version): every rule but the approval passes for the version."""
    integration, version = tier_world.ready_integration(owner, user)
    tier_world.fully_built(integration, version, user)
    store_valid_document(integration)
    return integration, version


def submit(version, user, organization, message="Please review."):
    return services.submit_certification_request(
        version, acting_user=user, acting_organization=organization, message=message
    )


def run_checks(request_):
    """The Celery task's work, done in place."""
    request_.refresh_from_db()
    runner.run_certification_checks(request_.pk, request_.round)
    request_.refresh_from_db()
    return request_


def approve(request_, staff, comment=""):
    run_checks(request_)
    return services.approve_certification_request(request_, acting_user=staff, comment=comment)


def declare_object(integration, user, collection, name="Loyalty points"):
    from integrations.mappings import objects

    return objects.declare_foreign_object(
        integration,
        acting_user=user,
        name=name,
        paths=[],
        collection=collection,
        to_ipaas_methods=["GET"],
        from_ipaas_methods=[],
    )
