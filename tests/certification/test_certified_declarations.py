"""A certified version keeps its tier while the integration's declarations change for a newer
version: foreign data objects, webhook scopes and their links belong to the integration, so the
approval keeps what the Certified rules read of them, and the certified version is judged on
that, while the new draft version is judged on the declarations as edited. A translation table
the certified version's template mappings use keeps its entries."""

import importlib

import pytest
from django.apps import apps

from integrations.mappings import services as mapping_services
from integrations.mappings import tables
from integrations.models import Direction, MappingCollection, Tier
from integrations.tiers import engine as tiers
from integrations.tiers.certified import take_declarations
from integrations.workspace import services as workspace_services
from portal.services import ActionRefused
from tests.certification import world
from tests.certification.workflow_templates import world as templates
from tests.integrations import tier_world

pytestmark = pytest.mark.django_db


def results(version) -> dict:
    """Every rule's result for the version, by code."""
    return {rule.code: result for checklist in tiers.evaluate(version) for rule, result in checklist.results}


@pytest.fixture
def certified(certifiable, alice, northwind, sam):
    """(integration, certified 1.0.0, its approved request, draft 1.1.0 started from it)."""
    integration, version = certifiable
    request_ = world.approve(world.submit(version, alice, northwind), sam)
    new = workspace_services.start_new_version(version, number="1.1.0", acting_user=alice)
    version.refresh_from_db()
    assert version.tier == Tier.CERTIFIED
    return integration, version, request_, new


def test_approval_keeps_the_declarations_the_certified_rules_read(certified):
    integration, version, request_, _ = certified
    request_.refresh_from_db()
    [scope] = request_.declarations["scopes"]
    assert (scope["name"], scope["seen"], scope["link"]["direction"]) == ("customer/created", True, "to_ipaas")
    [customers] = request_.declarations["objects"]
    assert customers["link"]["from_ipaas"] == ["POST", "PUT"]
    assert request_.declarations["openapi_valid"] is True


def test_dropping_every_scope_for_the_new_version_leaves_the_certified_version_certified(certified, alice, northwind):
    integration, version, _, new = certified
    workspace_services.update_integration(integration, acting_user=alice, acting_organization=northwind, scopes=[])
    version.refresh_from_db()
    integration.refresh_from_db()
    assert version.tier == Tier.CERTIFIED
    assert integration.tier == Tier.CERTIFIED
    assert results(version)["data_movement_and_scopes_described"].passed
    assert not results(new)["data_movement_and_scopes_described"].passed
    assert not results(new)["scopes_handled"].passed


def test_a_new_unseen_scope_is_the_new_versions_to_handle_not_the_certified_ones(certified, alice, northwind):
    integration, version, _, new = certified
    workspace_services.update_integration(
        integration, acting_user=alice, acting_organization=northwind, scopes=["customer/created", "order/created"]
    )
    certified_result, new_result = results(version)["scopes_handled"], results(new)["scopes_handled"]
    assert certified_result.passed
    assert "as they were when this version was certified" in certified_result.message
    assert not new_result.passed and "order/created" in new_result.message
    version.refresh_from_db()
    assert version.tier == Tier.CERTIFIED


def test_an_object_linked_to_another_collection_for_the_new_version_leaves_the_certified_version_certified(
    certified, alice
):
    integration, version, _, new = certified
    product = MappingCollection.objects.get(key="product")
    world.declare_object(integration, alice, product, name="Catalog")
    version.refresh_from_db()
    assert version.tier == Tier.CERTIFIED
    assert results(version)["template_mappings_cover_collections"].passed
    new_result = results(new)["template_mappings_cover_collections"]
    assert not new_result.passed and "Product" in new_result.message


def test_a_link_changed_for_the_new_version_changes_only_the_new_versions_checklist(certified, alice):
    integration, version, _, new = certified
    customers = integration.foreign_objects.get(name="Customers")
    mapping_services.link_foreign_object(
        customers, acting_user=alice, collection=customers.link.collection, to_ipaas_methods=[], from_ipaas_methods=[]
    )
    assert results(version)["collections_have_directions"].passed
    assert not results(new)["collections_have_directions"].passed
    version.refresh_from_db()
    assert version.tier == Tier.CERTIFIED


def test_a_scope_linked_elsewhere_for_the_new_version_leaves_the_certified_version_certified(certified, alice):
    integration, version, _, new = certified
    scope = integration.scopes.get(name="customer/created")
    product = MappingCollection.objects.get(key="product")
    mapping_services.link_scope(scope, acting_user=alice, collection=product, direction=Direction.TO_IPAAS)
    assert results(version)["template_mappings_cover_collections"].passed
    assert not results(new)["template_mappings_cover_collections"].passed
    version.refresh_from_db()
    assert version.tier == Tier.CERTIFIED


def test_the_integration_keeps_showing_certified_while_the_draft_falls_behind(certified, alice, northwind):
    integration, version, _, new = certified
    workspace_services.update_integration(
        integration, acting_user=alice, acting_organization=northwind, scopes=["order/created"]
    )
    new.refresh_from_db()
    integration.refresh_from_db()
    assert new.tier < Tier.CERTIFIED
    assert integration.tier == Tier.CERTIFIED
    assert not integration.tier_changes.filter(from_tier=Tier.CERTIFIED).exists()


@pytest.fixture
def with_table(certifiable, alice):
    """The certifiable version's Customer To iPaaS mapping reads the Countries table in its filter."""
    integration, version = certifiable
    table = tables.save_translation_table(
        integration, acting_user=alice, table=None, name="Countries", rows=[("US", "USA")]
    )
    mapping = version.template_mappings.get(direction=Direction.TO_IPAAS)
    values = {field: getattr(mapping, field) for field in mapping_services.MAPPING_FIELDS}
    values["mapping_filter"] = 'lookup("Countries", "US", "") == "USA"'
    mapping_services.update_template_mapping(mapping, acting_user=alice, expected_revision=mapping.revision, **values)
    tier_world.run_tests(version, alice)
    return integration, version, table


def test_a_table_the_certified_version_uses_keeps_its_entries_after_a_new_version_starts(
    with_table, alice, northwind, sam
):
    integration, version, table = with_table
    world.approve(world.submit(version, alice, northwind), sam)
    workspace_services.start_new_version(version, number="1.1.0", acting_user=alice)
    with pytest.raises(ActionRefused, match="Version 1.0.0 is certified.*Countries.*new translation table"):
        tables.save_translation_table(
            integration, acting_user=alice, table=table, name="Countries", rows=[("US", "United States")]
        )
    table.refresh_from_db()
    assert table.entries == [["US", "USA"]]
    version.refresh_from_db()
    assert version.tier == Tier.CERTIFIED
    # A new table for the new version's rows is allowed.
    tables.save_translation_table(integration, acting_user=alice, table=None, name="Countries 2", rows=[("US", "US")])


def test_a_table_no_frozen_version_uses_changes_and_its_tests_run_again(with_table, alice):
    integration, version, table = with_table
    mapping = version.template_mappings.get(direction=Direction.TO_IPAAS)
    revision = mapping.revision
    tables.save_translation_table(integration, acting_user=alice, table=table, name="Countries", rows=[("US", "X")])
    mapping.refresh_from_db()
    assert mapping.revision == revision + 1


def test_the_data_migration_keeps_the_declarations_of_requests_approved_before(certified):
    integration, version, request_, _ = certified
    request_.refresh_from_db()
    kept = request_.declarations
    type(request_).objects.filter(pk=request_.pk).update(declarations={})
    migration = importlib.import_module("certification.migrations.0003_approved_declarations")
    migration.keep_declarations(apps, None)
    request_.refresh_from_db()
    assert request_.declarations == kept == take_declarations(version)


def test_a_workflow_template_for_the_certified_version_fits_the_scopes_it_was_certified_with(
    certified, alice, northwind, misty, summit
):
    integration, version, _, _ = certified
    workspace_services.update_integration(
        integration, acting_user=alice, acting_organization=northwind, scopes=["order/created"]
    )
    assert templates.submit(version, misty, summit).pk  # triggered by customer/created, as certified
    with pytest.raises(ActionRefused, match="order/created.*not a webhook scope"):
        templates.submit(version, misty, summit, name="Orders", document=templates.definition(scope="order/created"))


def test_a_certified_version_is_not_requested_again(certified, alice, northwind, sam):
    """Its approval keeps the declarations it was certified with; a second request would judge it
    on today's, changed since for the newer version."""
    integration, version, _, _ = certified
    with pytest.raises(ActionRefused, match="already certified"):
        world.submit(version, alice, northwind)
    assert version.certification_requests.count() == 1
