"""Builders for integrations at a chosen tier, for the integration and tier tests. Rows the other
areas create through their own actions (imports, inbox events, associations, accepted foreign
data objects) are made directly; links, template mappings and mapping tests go through their
actions, and the tests really run."""

import datetime
import json

from django.utils import timezone
from guardian.shortcuts import assign_perm

from integrations.mapping_tests import services as mapping_test_services
from integrations.mappings import services as mapping_services
from integrations.mappings.services import RowValues
from integrations.models import (
    Association,
    AssociationStatus,
    Direction,
    ForeignDataObject,
    ImportStatus,
    InboxEvent,
    MappingCollection,
    ObjectState,
    OpenAPIImport,
    TemplateMapping,
    VersionStatus,
    WebhookScope,
)
from tests.factories import (
    ApplicationFactory,
    ApplicationVersionFactory,
    IntegrationFactory,
    IntegrationVersionFactory,
    OrganizationFactory,
    template_mapping,
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
    # An organization names each of its integrations differently (a database constraint).
    others = owner.integrations.filter(name__startswith="Magento by Northwind").count()
    integration = IntegrationFactory(
        owner=owner,
        application=application,
        name="Magento by Northwind" + (f" {others + 1}" if others else ""),
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


# --- Certified: every rule but the approval ------------------------------------------------

CUSTOMER_ROWS = {
    # To iPaaS the data model's fields are the targets; from iPaaS they are read.
    "to_ipaas": [
        {"target": "Id", "kind": "field", "source": "id"},
        {"target": "Email", "kind": "field", "source": "email"},
        {"target": "FirstName", "kind": "field", "source": "firstname"},
        {"target": "LastName", "kind": "field", "source": "lastname"},
    ],
    "from_ipaas": [
        {"target": "id", "kind": "field", "source": "Id"},
        {"target": "email", "kind": "field", "source": "Email"},
        {"target": "name", "kind": "formula", "formula": 'FirstName + " " + LastName'},
    ],
}
CUSTOMER_TESTS = {
    "to_ipaas": (
        {"id": 7, "email": "ada@example.com", "firstname": "Ada", "lastname": "Lovelace"},
        {"Id": 7, "Email": "ada@example.com", "FirstName": "Ada", "LastName": "Lovelace"},
    ),
    "from_ipaas": (
        {"Id": 7, "Email": "ada@example.com", "FirstName": "Ada", "LastName": "Lovelace"},
        {"id": 7, "email": "ada@example.com", "name": "Ada Lovelace"},
    ),
}


def ready_integration(owner, designator):
    """A published version at Ready: Compatible, a verified event for customer/created, designated."""
    integration, version = compatible_integration(owner)
    verified_event(integration)
    version.ready_designated_by, version.ready_designated_at = designator, timezone.now()
    version.save(update_fields=["ready_designated_by", "ready_designated_at"])
    return integration, version


def accepted_object(integration, name="Customers", key="customers"):
    return ForeignDataObject.objects.create(
        integration=integration,
        key=key,
        name=name,
        state=ObjectState.ACCEPTED,
        paths=[{"path": f"/{key}", "methods": ["get", "post"]}, {"path": f"/{key}/{{id}}", "methods": ["put"]}],
    )


def customer_mapping(version, user, direction, *, name="Magento Customer", rows=None):
    """A template mapping of Customer in `direction` with rows covering every required field."""
    mapping = template_mapping(version, user, f"{name} ADD {Direction(direction).name_part}", direction=direction)
    for values in CUSTOMER_ROWS[direction] if rows is None else rows:
        mapping_services.add_mapping_row(mapping, acting_user=user, values=RowValues(**values))
    return TemplateMapping.objects.get(pk=mapping.pk)


def mapping_test(mapping, user, name="Ada", sample=None, expected=None):
    default_sample, default_expected = CUSTOMER_TESTS[mapping.direction]
    return mapping_test_services.create_mapping_test(
        mapping,
        acting_user=user,
        name=name,
        sample=json.dumps(default_sample if sample is None else sample),
        expected=json.dumps(default_expected if expected is None else expected),
    )


def run_tests(version, user):
    """Run all tests of the version through the real actions (the task's work, done in place)."""
    run = mapping_test_services.start_mapping_test_run(version, acting_user=user)
    return mapping_test_services.run_mapping_tests(run.pk)


def fully_built(integration, version, user, *, run=True):
    """Every Certified rule but the approval passes for `version` (a Ready one): Customers linked
    both ways, customer/created linked and seen, a template mapping per direction covering the
    required fields, a test each, run and passing, and the documentation written."""
    customer = MappingCollection.objects.get(key="customer")
    customers = accepted_object(integration)
    mapping_services.link_foreign_object(
        customers, acting_user=user, collection=customer, to_ipaas_methods=["GET"], from_ipaas_methods=["POST", "PUT"]
    )
    scope = integration.scopes.get(name="customer/created")
    mapping_services.link_scope(scope, acting_user=user, collection=customer, direction=Direction.TO_IPAAS)
    integration.description = "Keeps Magento customers and iPaaS.com in step."
    integration.features = "Customers both ways"
    integration.workflow_documentation = "1. A customer signs up in Magento.\n2. iPaaS.com receives it."
    integration.save(update_fields=["description", "features", "workflow_documentation"])
    mappings = {d: customer_mapping(version, user, d) for d in (Direction.TO_IPAAS, Direction.FROM_IPAAS)}
    for mapping in mappings.values():
        mapping_test(mapping, user)
    if run:
        run_tests(version, user)
    return mappings
