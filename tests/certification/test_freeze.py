"""The freeze: while a version's certification request is open, and once it is approved, every
URL that changes its template mappings, rows, mapping tests, or the integration's foreign data
objects, links, webhook scopes and translation tables refuses, says to start a new version, and
changes nothing. The walk covers every POST URL of integrations/urls.py: each is either refused
or listed with the reason it may still act on a frozen version."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.requests import services
from integrations import urls as integration_urls
from integrations.models import (
    ForeignDataObject,
    ForeignObjectLink,
    MappingCollection,
    MappingTest,
    ObjectState,
    ScopeLink,
    TemplateMapping,
    TemplateMappingRow,
    TranslationTable,
    WebhookScope,
)
from integrations.workspace import services as workspace_services
from tests.certification import world
from tests.conftest import client_for
from tests.integrations.openapi.builders import as_json
from tests.integrations.workspace.test_integrations import declaration_data

pytestmark = pytest.mark.django_db

FREEZE_MESSAGE = "Start a new version to change them."

# URLs that act on a frozen version or its integration and are allowed, with why.
ALLOWED_WHILE_FROZEN = {
    "integration_version_edit": "the release notes and supported application versions are the version's label",
    "integration_version_publish": "a certified version is published to show its tier",
    "integration_designate_ready": "designating readiness changes no mapping",
    "integration_version_start": "starting a new version is how work goes on",
    "integration_version_create": "a new, empty version is not frozen",
    "integration_inbox_rotate": "the inbox secret is not reviewed",
    "integration_inbox_create": "the inbox is not reviewed",
    "integration_inbox_secret": "revealing the inbox secret changes nothing",
    "inbox_receive": "verified events are evidence, not an edit",
    "mapping_test_run_start": "running the tests again changes no mapping or test",
    "mapping_preview": "a preview stores nothing",
    "formula_try": "trying a formula stores nothing",
    "association_request": "associations are not part of the version",
    "association_withdraw": "associations are not part of the version",
    "association_decide": "associations are not part of the version",
}
# URLs that never act on an integration's version.
OUTSIDE = {
    "provider_directory",
    "application_detail",
    "provider_detail",
    "integrator_profile",
    "misp_profile",
    "data_model_index",
    "formula_help",
    "data_model_collection",
    "public_profile_edit",
    "provider_application_list",
    "application_create",
    "application_edit",
    "version_create",
    "version_edit",
    "version_remove",
    "version_submit",
    "submission_list",
    "integration_dashboard",
    "integration_create",
}
# Pages that only read (GET), or whose POST is one of the frozen ones below under another name.
READ_ONLY = {
    "integration_detail",
    "integration_tier_history",
    "integration_openapi_status",
    "integration_openapi_imports",
    "integration_inbox",
    "integration_associations",
    "integration_collections",
    "mapping_collection_list",
    "mapping_collection_detail",
    "mapping_row_fields",
    "mapping_collection_delete_confirm",
    "foreign_object_remove_confirm",
    "foreign_object_paths",
    "translation_table_delete_confirm",
    "mapping_test_runs",
    "mapping_test_run_status",
    "application_history",
    "version_history",
    "integration_history",
    "integration_version_history",
    "mapping_collection_history",
    "mapping_test_history",
    "association_history",
}


@pytest.fixture
def frozen(certifiable, alice, northwind):
    integration, version = certifiable
    customer = MappingCollection.objects.get(key="customer")
    declared = world.declare_object(integration, alice, customer)
    TranslationTable.objects.create(integration=integration, name="Countries", entries=[["US", "USA"]])
    proposed = ForeignDataObject.objects.create(integration=integration, key="orders", name="Orders", paths=[])
    request_ = world.submit(version, alice, northwind)
    return integration, version, request_, declared, proposed


def fingerprint(integration, version) -> tuple:
    def rows(queryset, *fields):
        return sorted(tuple(str(value) for value in row) for row in queryset.values_list(*fields))

    return (
        rows(TemplateMapping.objects.filter(version=version), "pk", "name", "revision", "updated_at"),
        rows(TemplateMappingRow.objects.filter(mapping__version=version), "pk", "target", "revision", "source"),
        rows(MappingTest.objects.filter(mapping__version=version), "pk", "name", "updated_at"),
        rows(ForeignDataObject.objects.filter(integration=integration), "pk", "name", "state", "key"),
        rows(ForeignObjectLink.objects.filter(foreign_object__integration=integration), "pk", "updated_at"),
        rows(ScopeLink.objects.filter(scope__integration=integration), "pk", "updated_at"),
        rows(WebhookScope.objects.filter(integration=integration), "pk", "name"),
        rows(TranslationTable.objects.filter(integration=integration), "pk", "name", "updated_at"),
        integration.openapi_imports.count(),
    )


def posts(integration, version, declared, proposed) -> dict:
    """Every frozen URL with a POST that would succeed on a version that is not frozen."""
    slug, vid = integration.slug, version.public_id
    mapping = version.template_mappings.order_by("name").first()
    row = mapping.rows.order_by("position").first()
    test = mapping.tests.first()
    table = integration.translation_tables.get(name="Countries")
    scope = integration.scopes.get(name="customer/created")
    customer = MappingCollection.objects.get(key="customer")
    margs = [slug, vid, mapping.public_id]
    new_test = {"name": "Grace", "sample": '{"id": 1}', "expected": "{}"}
    return {
        "integration_edit": ([slug], declaration_data(scopes="order/created")),
        "integration_openapi": ([slug], {"document": SimpleUploadedFile("api.json", as_json(world.DOCUMENT))}),
        "foreign_objects_merge": ([slug], {"objects": [proposed.public_id, _second(integration).public_id]}),
        "foreign_object_update": ([slug, proposed.public_id], {"action": "accept"}),
        "foreign_object_link": (
            [slug, declared.public_id],
            {
                f"object-{declared.public_id}-collection": customer.pk,
                f"object-{declared.public_id}-to_ipaas_methods": ["POST"],
            },
        ),
        "foreign_object_declare": (
            [slug],
            {
                "declare-name": "Loyalty",
                "declare-endpoints": "",
                "declare-collection": customer.pk,
                "declare-to_ipaas_methods": ["GET"],
            },
        ),
        "foreign_object_remove": ([slug, declared.public_id], {}),
        "scope_link": (
            [slug, scope.pk],
            {f"scope-{scope.pk}-collection": customer.pk, f"scope-{scope.pk}-direction": "from_ipaas"},
        ),
        "translation_table_list": ([slug], {"name": "Statuses", "entries": "open = O"}),
        "translation_table_edit": ([slug, table.public_id], {"name": "Countries", "entries": "US = United States"}),
        "translation_table_delete": ([slug, table.public_id], {}),
        "mapping_collection_create": (
            [slug, vid],
            {"collection": customer.pk, "direction": "from_ipaas", "sync_type": "delete", "collision_handling": "skip"},
        ),
        "mapping_collection_edit": (margs, _mapping_data(mapping)),
        "mapping_collection_delete": (margs, {"revision": mapping.revision}),
        "mapping_collection_clone": (margs, {}),
        "mapping_row_create": (margs, {"new-target": "Notes", "new-kind": "static", "new-value": "x"}),
        "mapping_row_update": (
            [*margs, row.public_id],
            {
                f"row-{row.public_id}-target": row.target,
                f"row-{row.public_id}-kind": "static",
                f"row-{row.public_id}-value": "x",
                f"row-{row.public_id}-revision": row.revision,
            },
        ),
        "mapping_row_delete": ([*margs, row.public_id], {"revision": row.revision}),
        "mapping_test_create": (margs, new_test),
        "mapping_test_edit": ([*margs, test.public_id], {**new_test, "loaded_version": test.updated_at.isoformat()}),
        "mapping_test_delete": ([*margs, test.public_id], {}),
    }


def _second(integration):
    return ForeignDataObject.objects.get_or_create(
        integration=integration, key="products", defaults={"name": "Products", "paths": []}
    )[0]


def _mapping_data(mapping) -> dict:
    return {
        "name": mapping.name,
        "collection": mapping.collection_id,
        "direction": mapping.direction,
        "sync_type": mapping.sync_type,
        "collision_handling": mapping.collision_handling,
        "notes": "Changed notes",
        "revision": mapping.revision,
    }


def test_every_url_of_the_integrations_app_is_walked():
    names = {pattern.name for pattern in integration_urls.urlpatterns}
    frozen_names = set(FROZEN_URLS)
    assert names == frozen_names | set(ALLOWED_WHILE_FROZEN) | OUTSIDE | READ_ONLY


FROZEN_URLS = [
    "integration_edit",
    "integration_openapi",
    "foreign_objects_merge",
    "foreign_object_update",
    "foreign_object_link",
    "foreign_object_declare",
    "foreign_object_remove",
    "scope_link",
    "translation_table_list",
    "translation_table_edit",
    "translation_table_delete",
    "mapping_collection_create",
    "mapping_collection_edit",
    "mapping_collection_delete",
    "mapping_collection_clone",
    "mapping_row_create",
    "mapping_row_update",
    "mapping_row_delete",
    "mapping_test_create",
    "mapping_test_edit",
    "mapping_test_delete",
]


def _refused(response) -> bool:
    text = html.unescape(response.content.decode())
    return FREEZE_MESSAGE in text


@pytest.mark.parametrize("name", FROZEN_URLS)
def test_an_edit_of_a_version_under_review_is_refused_and_changes_nothing(frozen, alice, name):
    integration, version, _, declared, proposed = frozen
    args, data = posts(integration, version, declared, proposed)[name]
    before = fingerprint(integration, version)
    response = client_for(alice).post(reverse(name, args=args), data, follow=True)
    assert response.status_code < 500
    assert _refused(response), f"{name} did not refuse with the freeze message"
    assert fingerprint(integration, version) == before


@pytest.mark.parametrize("name", FROZEN_URLS)
def test_the_same_edit_goes_through_once_the_request_is_withdrawn(frozen, alice, northwind, name):
    """The walk's POSTs are valid ones: without the freeze each of them changes something."""
    integration, version, request_, declared, proposed = frozen
    services.withdraw_certification_request(request_, acting_user=alice, acting_organization=northwind)
    args, data = posts(integration, version, declared, proposed)[name]
    before = fingerprint(integration, version)
    response = client_for(alice).post(reverse(name, args=args), data, follow=True)
    assert not _refused(response)
    assert fingerprint(integration, version) != before, f"{name} changed nothing"


def test_a_certified_version_stays_frozen_and_a_new_version_is_editable(frozen, alice, sam):
    integration, version, request_, *_ = frozen
    world.approve(request_, sam)
    mapping = version.template_mappings.first()
    url = reverse("mapping_row_create", args=[integration.slug, version.public_id, mapping.public_id])
    data = {"new-target": "Notes", "new-kind": "static", "new-value": "x"}
    assert _refused(client_for(alice).post(url, data, follow=True))
    new = workspace_services.start_new_version(version, number="1.1.0", acting_user=alice)
    copy = new.template_mappings.get(name=mapping.name)
    url = reverse("mapping_row_create", args=[integration.slug, new.public_id, copy.public_id])
    assert not _refused(client_for(alice).post(url, data, follow=True))
    assert copy.rows.filter(target="Notes").exists()
    assert not mapping.rows.filter(target="Notes").exists()


def test_a_version_with_a_withdrawn_request_is_not_frozen(frozen, alice, northwind):
    integration, version, request_, *_ = frozen
    services.withdraw_certification_request(request_, acting_user=alice, acting_organization=northwind)
    mapping = version.template_mappings.first()
    url = reverse("mapping_row_create", args=[integration.slug, version.public_id, mapping.public_id])
    client_for(alice).post(url, {"new-target": "Notes", "new-kind": "static", "new-value": "x"})
    assert mapping.rows.filter(target="Notes").exists()


def test_an_accepted_object_state_is_unchanged_by_a_refused_drop(frozen, alice):
    integration, _, _, declared, _ = frozen
    url = reverse("foreign_object_update", args=[integration.slug, declared.public_id])
    client_for(alice).post(url, {"action": "drop"})
    declared.refresh_from_db()
    assert declared.state == ObjectState.ACCEPTED
