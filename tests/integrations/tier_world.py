"""Builders for integrations at a chosen tier, for the integration and tier tests. Rows the other
areas create through their own actions (imports, inbox events, associations) are made directly."""

import datetime

from django.utils import timezone
from guardian.shortcuts import assign_perm

from integrations.models import (
    Association,
    AssociationStatus,
    ImportStatus,
    InboxEvent,
    OpenAPIImport,
    VersionStatus,
    WebhookScope,
)
from tests.factories import (
    ApplicationFactory,
    ApplicationVersionFactory,
    IntegrationFactory,
    IntegrationVersionFactory,
    OrganizationFactory,
)


def complete_provider(**kwargs):
    defaults = {"name": "Adobe", "website": "https://business.adobe.com", "is_provider": True, "is_integrator": False}
    provider = OrganizationFactory(**{**defaults, **kwargs})
    provider.logo, provider.logo_small = "organizations/adobe.png", "organizations/adobe-small.png"
    provider.save(update_fields=["logo", "logo_small"])
    return provider


def magento_with_versions(provider=None, labels=("Open Source 2.4.x", "Open Source 2.5.x")):
    application = ApplicationFactory(provider=provider or complete_provider(), name="Magento")
    application.logo, application.logo_small = "applications/magento.png", "applications/magento-small.png"
    application.save(update_fields=["logo", "logo_small"])
    versions = [
        ApplicationVersionFactory(application=application, label=label, release_date=datetime.date(2020, 1, 1 + n))
        for n, label in enumerate(labels)
    ]
    return application, versions


def valid_import(integration, **kwargs):
    fields = {
        "document": "openapi/magento.json",
        "filename": "magento.json",
        "size": 100,
        "sha256": "0" * 64,
        "status": ImportStatus.DONE,
        "detected_version": "2.0",
        "error_count": 0,
        **kwargs,
    }
    return OpenAPIImport.objects.create(integration=integration, **fields)


def compatible_integration(owner, application=None, application_versions=None):
    """Every Compatible rule passes for the returned published version (no tier computed yet)."""
    if application is None:
        application, application_versions = magento_with_versions()
    integration = IntegrationFactory(
        owner=owner,
        application=application,
        name="Magento by Northwind",
        has_hook=True,
        hosts_multitenant_cloud=True,
        data_movement="Customers and orders from Magento to iPaaS.com; products back.",
    )
    WebhookScope.objects.create(integration=integration, name="customer/created")
    valid_import(integration)
    version = IntegrationVersionFactory(
        integration=integration, number="1.0.0", status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    version.supported_versions.set(application_versions)
    return integration, version


def verified_event(integration, scope="customer/created", webhook_id="msg_1"):
    return InboxEvent.objects.create(
        integration=integration, webhook_id=webhook_id, scope=scope, body={"id": 1}, sent_at=timezone.now()
    )


def accepted_association(integration, organization):
    """An accepted association with its django-guardian grant, as the associations area leaves it."""
    assign_perm("integrations.work_on_integration", organization.get_permission_group(), integration)
    return Association.objects.create(
        integration=integration, organization=organization, status=AssociationStatus.ACCEPTED
    )
