"""The Certified row of DOMAIN.md's tier table: each rule passes for a fully built version and
fails, naming what is missing, with a link to where it is done; the approval keeps every version
below Certified until the certification workflow provides it; a finished test run recomputes the
tier; and the rules cost the same queries whatever the data size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from integrations.mapping_tests import services as mapping_test_services
from integrations.mappings import services as mapping_services
from integrations.mappings.services import RowValues
from integrations.models import (
    Direction,
    ForeignDataObject,
    ForeignObjectLink,
    IntegrationVersion,
    MappingCollection,
    ObjectState,
    Tier,
    TierChange,
    WebhookScope,
)
from integrations.tiers import certified as certified_rules
from integrations.tiers import engine as tiers
from tests.conftest import client_for
from tests.integrations import tier_world as world

pytestmark = pytest.mark.django_db

CERTIFIED_RULES = [
    "collections_have_directions",
    "scopes_handled",
    "template_mappings_cover_collections",
    "mapping_tests_pass",
    "documentation_present",
    "certification_approved",
]


def results(version) -> dict:
    return {rule.code: result for checklist in tiers.evaluate(version) for rule, result in checklist.results}


def failing(version) -> list[str]:
    found = results(version)
    return [code for code in CERTIFIED_RULES if not found[code].passed]


@pytest.fixture
def ready(northwind, alice):
    return world.ready_integration(northwind, alice)


@pytest.fixture
def built(ready, alice):
    integration, version = ready
    mappings = world.fully_built(integration, version, alice)
    return integration, version, mappings


def assert_fails(version, code, says, page):
    found = results(version)[code]
    assert not found.passed
    for text in [says] if isinstance(says, str) else says:
        assert text in found.message
    assert resolve(found.url).url_name == page
    return found


# --- the rules as registered ----------------------------------------------------------------


def test_the_certified_rules_are_the_certified_row_in_order():
    assert [rule.code for rule in tiers.RULES if rule.tier == Tier.CERTIFIED] == CERTIFIED_RULES


def test_every_certified_rule_but_the_approval_passes_for_a_fully_built_version(built):
    _, version, _ = built
    assert failing(version) == ["certification_approved"]
    assert certified_rules.certification_checks_pass(version)


def test_without_an_approval_a_fully_built_version_stays_ready(built):
    integration, version, _ = built
    found = results(version)["certification_approved"]
    assert not found.passed and "request certification of this version" in found.message
    assert tiers.reached_tier(tiers.evaluate(version)) == Tier.READY
    integration.refresh_from_db()
    version.refresh_from_db()
    assert (integration.tier, version.tier) == (Tier.READY, Tier.READY)


def test_an_approval_in_the_facts_makes_a_fully_built_version_certified(built):
    _, version, _ = built
    facts = tiers.load_facts(version)
    facts.extra["certification_approved"] = True
    assert tiers.reached_tier(tiers.evaluate(version, facts)) == Tier.CERTIFIED


def test_an_approval_does_not_certify_a_version_whose_checks_fail(ready):
    _, version = ready
    facts = tiers.load_facts(version)
    facts.extra["certification_approved"] = True
    assert tiers.reached_tier(tiers.evaluate(version, facts)) == Tier.READY


def test_the_checks_do_not_pass_while_a_lower_tier_fails(built):
    _, version, _ = built
    version.ready_designated_at = None
    version.save(update_fields=["ready_designated_at"])
    assert failing(version) == ["certification_approved"]  # the Certified rules themselves pass
    assert not certified_rules.certification_checks_pass(version)


# --- every supported collection has directions and methods -----------------------------------


def test_a_version_without_accepted_foreign_objects_is_sent_to_the_openapi_page(ready):
    integration, version = ready
    world.accepted_object(integration)
    ForeignDataObject.objects.update(state=ObjectState.PROPOSED)
    assert_fails(version, "collections_have_directions", "Accept the foreign data objects", "integration_openapi")


def test_an_unlinked_accepted_object_is_named(built):
    integration, version, _ = built
    world.accepted_object(integration, name="Orders", key="orders")
    found = assert_fails(
        version, "collections_have_directions", "Link Orders to a MappingCollection", "integration_collections"
    )
    assert "Customers" not in found.message


def test_a_proposed_or_dropped_object_needs_no_link(built):
    integration, version, _ = built
    world.accepted_object(integration, name="Orders", key="orders")
    world.accepted_object(integration, name="Returns", key="returns")
    ForeignDataObject.objects.filter(key="orders").update(state=ObjectState.DROPPED)
    ForeignDataObject.objects.filter(key="returns").update(state=ObjectState.PROPOSED)
    assert results(version)["collections_have_directions"].passed


def test_a_link_without_methods_in_any_direction_is_named(built):
    _, version, _ = built
    ForeignObjectLink.objects.update(to_ipaas_methods=[], from_ipaas_methods=[])
    assert_fails(
        version,
        "collections_have_directions",
        "Choose the methods of at least one direction for Customers",
        "integration_collections",
    )


# --- every declared scope handled -------------------------------------------------------------


def test_a_scope_without_a_link_is_named(built):
    integration, version, _ = built
    WebhookScope.objects.create(
        integration=integration, name="customer/updated", first_seen_at=datetime.datetime.now(datetime.UTC)
    )
    found = assert_fails(
        version,
        "scopes_handled",
        "Link customer/updated to a MappingCollection and direction",
        "integration_collections",
    )
    assert "test event" not in found.message


def test_a_linked_scope_never_seen_in_a_verified_event_is_named(built, alice):
    integration, version, _ = built
    scope = WebhookScope.objects.create(integration=integration, name="customer/updated")
    mapping_services.link_scope(
        scope, acting_user=alice, collection=MappingCollection.objects.get(key="customer"), direction=Direction.TO_IPAAS
    )
    found = assert_fails(
        version,
        "scopes_handled",
        "Send a signed test event for customer/updated to the sandbox inbox",
        "integration_inbox",
    )
    assert "customer/created" not in found.message


def test_a_scope_seen_once_counts_after_its_events_were_pruned(built):
    integration, version, _ = built
    integration.scopes.update(first_seen_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    integration.inbox_events.all().delete()
    assert results(version)["scopes_handled"].passed


def test_a_scope_missing_both_parts_is_named_for_each(built):
    integration, version, _ = built
    WebhookScope.objects.create(integration=integration, name="order/created")
    assert_fails(
        version,
        "scopes_handled",
        ["Link order/created to a MappingCollection", "send a signed test event for order/created"],
        "integration_collections",
    )


# --- template mappings for every collection and direction, required fields covered ---------------


def test_a_collection_and_direction_without_a_template_mapping_is_named(built, alice):
    integration, version, _ = built
    scope = WebhookScope.objects.create(integration=integration, name="product/updated")
    product = MappingCollection.objects.get(key="product")
    mapping_services.link_scope(scope, acting_user=alice, collection=product, direction=Direction.TO_IPAAS)
    assert_fails(
        version,
        "template_mappings_cover_collections",
        "Add a template mapping to version 1.0.0 for Product To iPaaS",
        "mapping_collection_list",
    )


def test_a_required_field_left_unmapped_is_named_with_its_mapping(built, alice):
    _, version, mappings = built
    row = mappings[Direction.TO_IPAAS].rows.get(target="LastName")
    mapping_services.delete_mapping_row(row, acting_user=alice, expected_revision=row.revision)
    found = assert_fails(
        version,
        "template_mappings_cover_collections",
        "Map the required fields LastName in Magento Customer ADD TO IPAAS",
        "mapping_collection_list",
    )
    assert "FROM IPAAS" not in found.message


def test_from_ipaas_a_required_field_a_formula_reads_is_covered(built):
    _, version, mappings = built
    assert not mappings[Direction.FROM_IPAAS].rows.filter(source="FirstName").exists()  # only the formula reads it
    assert results(version)["template_mappings_cover_collections"].passed


def test_without_links_there_is_nothing_to_map_and_the_rule_says_so(ready):
    _, version = ready
    assert_fails(version, "template_mappings_cover_collections", "Link the integration's", "integration_collections")
    assert_fails(version, "mapping_tests_pass", "Link the integration's", "integration_collections")


# --- mapping tests for every collection and direction, all passing ----------------------------------


def test_a_collection_and_direction_without_a_test_is_named(built, alice):
    _, version, mappings = built
    test = mappings[Direction.FROM_IPAAS].tests.get()
    mapping_test_services.delete_mapping_test(test, acting_user=alice)
    found = assert_fails(
        version, "mapping_tests_pass", "Add a mapping test for Customer From iPaaS", "mapping_collection_list"
    )
    assert "To iPaaS" not in found.message


def test_a_failing_latest_result_is_named(built, alice):
    _, version, mappings = built
    world.mapping_test(mappings[Direction.TO_IPAAS], alice, name="Grace", expected={"Email": "wrong@example.com"})
    world.run_tests(version, alice)
    found = assert_fails(version, "mapping_tests_pass", "“Grace” (Magento Customer ADD TO IPAAS)", "mapping_test_runs")
    assert "which fail" in found.message and "“Ada”" not in found.message


def test_an_error_counts_as_failing(built, alice):
    _, version, mappings = built
    world.mapping_test(mappings[Direction.FROM_IPAAS], alice, name="No names", sample={"Id": 1, "Email": "x@y.z"})
    world.run_tests(version, alice)
    assert_fails(version, "mapping_tests_pass", ["“No names”", "which fail"], "mapping_test_runs")


def test_a_passing_result_goes_stale_after_a_mapping_edit(built, alice):
    _, version, mappings = built
    mapping = mappings[Direction.TO_IPAAS]
    mapping_services.add_mapping_row(
        mapping, acting_user=alice, values=RowValues(target="Phone", kind="static", value="")
    )
    found = assert_fails(
        version,
        "mapping_tests_pass",
        ["Run again “Ada” (Magento Customer ADD TO IPAAS)", "changed since"],
        "mapping_test_runs",
    )
    assert "FROM IPAAS" not in found.message


def test_a_test_never_run_is_named(built, alice):
    _, version, mappings = built
    world.mapping_test(mappings[Direction.FROM_IPAAS], alice, name="Grace")
    assert_fails(
        version, "mapping_tests_pass", "Run “Grace” (Magento Customer ADD FROM IPAAS), never run", "mapping_test_runs"
    )


def test_running_again_after_a_mapping_edit_passes_again(built, alice):
    _, version, mappings = built
    mapping_services.add_mapping_row(
        mappings[Direction.TO_IPAAS], acting_user=alice, values=RowValues(target="Phone", kind="static", value="")
    )
    assert not results(version)["mapping_tests_pass"].passed
    world.run_tests(version, alice)
    # The new row adds a Phone to the output, which the expected output does not have.
    assert_fails(version, "mapping_tests_pass", "which fail", "mapping_test_runs")


def test_a_long_list_is_cut_with_a_count(built, alice):
    _, version, mappings = built
    for n in range(8):
        world.mapping_test(mappings[Direction.TO_IPAAS], alice, name=f"Case {n}")
    found = assert_fails(version, "mapping_tests_pass", "and 3 more", "mapping_test_runs")
    assert "Case 5" not in found.message


# --- description, features and workflow documentation -------------------------------------------


@pytest.mark.parametrize(
    ("field", "says"),
    [
        ("description", "Write the description."),
        ("features", "Write the features."),
        ("workflow_documentation", "Write the workflow documentation."),
    ],
)
def test_blank_documentation_is_named(built, field, says):
    integration, version, _ = built
    setattr(integration, field, "  \n ")
    integration.save(update_fields=[field])
    assert_fails(version, "documentation_present", says, "integration_edit")


# --- recomputation --------------------------------------------------------------------------------


@pytest.fixture
def approving(monkeypatch):
    """A stand-in for the certification workflow's loader: every version is approved."""

    def approve(facts):
        for fact in facts:
            fact.extra["certification_approved"] = "Approved in this test."

    monkeypatch.setitem(tiers.LOADERS, "test_approval", approve)


def test_a_test_run_finishing_recomputes_the_tier(ready, alice, approving, django_capture_on_commit_callbacks):
    integration, version = ready
    world.fully_built(integration, version, alice, run=False)
    integration.refresh_from_db()
    assert integration.tier == Tier.READY  # built, approved, but the tests never ran
    with django_capture_on_commit_callbacks(execute=True):  # the Celery task runs (eagerly) after commit
        mapping_test_services.start_mapping_test_run(version, acting_user=alice)
    integration.refresh_from_db()
    assert integration.tier == Tier.CERTIFIED
    assert integration.tier_changes.first().cause == mapping_test_services.CAUSE_RUN


def test_a_run_that_fails_part_way_recomputes_the_tier_with_the_results_it_stored(built, alice, approving, monkeypatch):
    integration, version, mappings = built
    tiers.recompute(integration, cause="approved")
    to_ipaas = mappings[Direction.TO_IPAAS]
    mapping_services.add_mapping_row(
        to_ipaas, acting_user=alice, values=RowValues(target="Phone", kind="field", source="phone")
    )
    mapping_services.delete_mapping_row(
        to_ipaas.rows.get(target="Phone"), acting_user=alice, expected_revision=1
    )  # the same rows as before, but a new revision: its test is stale
    integration.refresh_from_db()
    assert integration.tier == Tier.READY
    real, calls = mapping_test_services.run_mappings_isolated, []

    def second_batch_breaks(jobs, **kwargs):
        calls.append(len(jobs))
        if len(calls) > 1:
            raise RuntimeError("the sandbox broke")
        return real(jobs, **kwargs)

    monkeypatch.setattr(mapping_test_services, "BATCH_SIZE", 1)
    monkeypatch.setattr(mapping_test_services, "run_mappings_isolated", second_batch_breaks)
    run = world.run_tests(version, alice)  # the stale test (the first) runs again and passes, then the error
    assert run.status == "failed" and run.results.count() == 1
    integration.refresh_from_db()
    assert integration.tier == Tier.CERTIFIED
    assert integration.tier_changes.first().cause == mapping_test_services.CAUSE_RUN_FAILED


def test_a_mapping_edit_recomputes_the_tier_down(built, alice, approving):
    integration, _, mappings = built
    tiers.recompute(integration, cause="approved")
    mapping_services.add_mapping_row(
        mappings[Direction.TO_IPAAS], acting_user=alice, values=RowValues(target="Phone", kind="static", value="")
    )
    integration.refresh_from_db()
    assert integration.tier == Tier.READY
    assert TierChange.objects.filter(integration=integration).first().cause == mapping_services.CAUSE_MAPPINGS


# --- queries --------------------------------------------------------------------------------------


def _grow(integration, version, user, n):
    """More of everything the Certified rules read: objects, scopes, events, mappings, rows, tests, results."""
    for i in range(n):
        world.accepted_object(integration, name=f"Things {i}", key=f"things{i}")
        scope = WebhookScope.objects.create(integration=integration, name=f"thing{i}/created")
        world.verified_event(integration, scope=scope.name, webhook_id=f"grow{i}")
        mapping = world.customer_mapping(version, user, Direction.TO_IPAAS, name=f"Magento Customer {i}")
        world.mapping_test(mapping, user, name=f"Case {i}")
    world.run_tests(version, user)


def test_evaluate_costs_the_same_queries_for_small_and_large_versions(built, alice):
    integration, version, _ = built
    with CaptureQueriesContext(connection) as small:
        tiers.evaluate(version)
    _grow(integration, version, alice, 4)
    with CaptureQueriesContext(connection) as large:
        checklists = tiers.evaluate(version)
    assert len(large) == len(small)
    assert "Link Things 0" in {r.message[:13] for c in checklists for _, r in c.results if not r.passed}


def test_the_workspace_shows_the_certified_checklist_in_constant_queries(built, alice):
    integration, version, _ = built
    client = client_for(alice)
    client.get(integration.get_absolute_url())
    with CaptureQueriesContext(connection) as small:
        response = client.get(integration.get_absolute_url())
    page = response.content.decode()
    assert "5 of 6 requirements to do" not in page and "1 of 6 requirements to do" in page
    assert "Once every rule above passes, request certification of this version" in page
    _grow(integration, version, alice, 3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(integration.get_absolute_url())
    page = response.content.decode()
    assert len(large) == len(small)
    assert reverse("integration_collections", args=[integration.slug]) in page  # "Do it" for the new objects


def test_the_dashboard_costs_the_same_with_many_mappings_and_tests(built, alice, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # both visits work the version alerts out, none reads them kept
    integration, version, _ = built
    client = client_for(alice)
    client.get(reverse("integration_dashboard"))  # the first request also creates the organization's group
    # Without the summaries recompute keeps, so that the dashboard evaluates the rules itself.
    IntegrationVersion.objects.update(checklist=None)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("integration_dashboard"))
    _grow(integration, version, alice, 3)
    other, other_version = world.ready_integration(integration.owner, alice)
    world.fully_built(other, other_version, alice)
    IntegrationVersion.objects.update(checklist=None)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("integration_dashboard"))
    assert len(large) == len(small)
    progress = {p.tier: (p.passed, p.total) for p in response.context["rows"][0].progress}
    assert progress[Tier.CERTIFIED][1] == 6
