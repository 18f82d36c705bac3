"""Mapping tests (the integration's "test methods"): saved with their JSON checked, run all at
once for a version in a task that stores each result with the mapping revision (pass, fail with
its field-by-field diff, error), progress, staleness after a mapping edit, one run at a time,
a redelivered task, tenancy and the runs page's queries."""

import json
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from integrations.mapping_tests import selectors as mapping_test_selectors
from integrations.mapping_tests import services as mapping_test_services
from integrations.mappings import services as mapping_services
from integrations.mappings.services import RowValues
from integrations.models import (
    Direction,
    MappingTest,
    MappingTestResult,
    MappingTestRun,
    Outcome,
    RunStatus,
    TemplateMapping,
)
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.conftest import client_for
from tests.factories import template_mapping

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def mapping(version, alice):
    mapping = template_mapping(version, alice, "Magento Customer ADD TO IPAAS")
    add_row(mapping, alice, target="Email", kind="field", source="email")
    add_row(mapping, alice, target="Sku", kind="formula", formula='"WEB" + sku')
    return TemplateMapping.objects.get(pk=mapping.pk)


def add_row(mapping, user, **values):
    return mapping_services.add_mapping_row(mapping, acting_user=user, values=RowValues(**values))


def make_test(mapping, user, name="New web customer", sample=None, expected=None, **extra):
    return mapping_test_services.create_mapping_test(
        mapping,
        acting_user=user,
        name=name,
        sample=json.dumps(sample if sample is not None else {"email": "ada@example.com", "sku": "A100"}),
        expected=json.dumps(expected if expected is not None else {"Email": "ada@example.com", "Sku": "WEBA100"}),
        **extra,
    )


def run_all(version, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = mapping_test_services.start_mapping_test_run(version, acting_user=user)
    return MappingTestRun.objects.get(pk=run.pk)


def runs_url(version, name="mapping_test_runs") -> str:
    return reverse(name, args=[version.integration.slug, version.public_id])


def create_url(mapping) -> str:
    return reverse(
        "mapping_test_create", args=[mapping.version.integration.slug, mapping.version.public_id, mapping.public_id]
    )


# --- Outcomes ------------------------------------------------------------------------------


def test_a_test_whose_output_matches_passes(mapping, version, alice, django_capture_on_commit_callbacks):
    test = make_test(mapping, alice)
    run = run_all(version, alice, django_capture_on_commit_callbacks)

    result = MappingTestResult.objects.get(run=run, test=test)
    assert result.outcome == Outcome.PASS
    assert result.diff == []
    assert result.output == {"Email": "ada@example.com", "Sku": "WEBA100"}
    assert mapping_test_selectors.tests_of_mapping(mapping)[0].state == "pass"


def test_a_failing_test_stores_its_field_by_field_diff(mapping, version, alice, django_capture_on_commit_callbacks):
    test = make_test(mapping, alice, expected={"Email": "ada@example.com", "Sku": "A100", "Name": "Ada"})
    run = run_all(version, alice, django_capture_on_commit_callbacks)

    result = MappingTestResult.objects.get(run=run, test=test)
    assert result.outcome == Outcome.FAIL
    assert result.diff == [
        {"path": "Sku", "kind": "different", "expected": "A100", "actual": "WEBA100"},
        {"path": "Name", "kind": "missing", "expected": "Ada", "actual": None},
    ]
    page = client_for(alice).get(runs_url(version)).content.decode()
    assert "expected <code>&quot;A100&quot;</code>, got <code>&quot;WEBA100&quot;</code>" in page
    assert "<code>Name</code>: expected <code>&quot;Ada&quot;</code>, missing from the output" in page


def test_a_failing_row_is_an_error_with_its_message(mapping, version, alice, django_capture_on_commit_callbacks):
    test = make_test(mapping, alice, sample={"email": "ada@example.com", "sku": 7})  # "WEB" + 7
    run = run_all(version, alice, django_capture_on_commit_callbacks)

    result = MappingTestResult.objects.get(run=run, test=test)
    assert result.outcome == Outcome.ERROR
    assert "Sku: cannot add text and number" in result.error
    assert result.error in client_for(alice).get(runs_url(version)).content.decode()


def test_a_runaway_formula_is_an_error_and_the_run_goes_on(mapping, version, alice, django_capture_on_commit_callbacks):
    slow = mapping_services.create_template_mapping(
        version,
        acting_user=alice,
        name="Magento Customer MODIFY TO IPAAS",
        collection=mapping.collection,
        parent=None,
        direction=Direction.TO_IPAAS,
        sync_type="modify",
        collision_handling="skip",
        mapping_filter="",
        error_filter="",
        notes="",
    )
    add_row(slow, alice, target="Email", kind="field", source="email")
    from integrations.models import TemplateMappingRow

    # Saved before the checks existed, or slow without a refusable shape: overlapping alternatives.
    TemplateMappingRow.objects.filter(mapping=slow).update(kind="formula", formula='regex_match(email, "(a|aa)*$")')
    runaway = make_test(slow, alice, name="Runaway", sample={"email": "a" * 60 + "!"}, expected={})
    fine = make_test(mapping, alice)
    mapping_test_services.TIME_LIMIT, saved = 0.5, mapping_test_services.TIME_LIMIT
    try:
        run = run_all(version, alice, django_capture_on_commit_callbacks)
    finally:
        mapping_test_services.TIME_LIMIT = saved

    assert run.status == RunStatus.DONE
    outcomes = dict(MappingTestResult.objects.filter(run=run).values_list("test_id", "outcome"))
    assert outcomes == {runaway.pk: Outcome.ERROR, fine.pk: Outcome.PASS}
    assert MappingTestResult.objects.get(run=run, test=runaway).error.startswith("Stopped: ")


def slow_mapping(version, mapping, alice, name="Magento Customer MODIFY TO IPAAS", sync="modify"):
    """A mapping whose formula backtracks for ages on "aaa...!" (saved past the save-time checks)."""
    slow = mapping_services.create_template_mapping(
        version,
        acting_user=alice,
        name=name,
        collection=mapping.collection,
        parent=None,
        direction=Direction.TO_IPAAS,
        sync_type=sync,
        collision_handling="skip",
        mapping_filter="",
        error_filter="",
        notes="",
    )
    add_row(slow, alice, target="Email", kind="field", source="email")
    from integrations.models import TemplateMappingRow

    TemplateMappingRow.objects.filter(mapping=slow).update(kind="formula", formula='regex_match(email, "(a|aa)*$")')
    return slow


def test_once_a_test_times_out_the_rest_of_that_mappings_tests_are_not_run(
    mapping, version, alice, django_capture_on_commit_callbacks, monkeypatch
):
    slow = slow_mapping(version, mapping, alice)
    stuck = [
        make_test(slow, alice, name=f"Runaway {n}", sample={"email": "a" * 60 + "!"}, expected={}) for n in range(4)
    ]
    fine = make_test(mapping, alice)
    monkeypatch.setattr(mapping_test_services, "TIME_LIMIT", 0.5)
    monkeypatch.setattr(mapping_test_services, "BATCH_SIZE", 2)  # the stop holds across batches too
    started = time.monotonic()
    run = run_all(version, alice, django_capture_on_commit_callbacks)
    elapsed = time.monotonic() - started

    assert run.status == RunStatus.DONE and run.done == run.total == 5
    results = {r.test_id: r for r in MappingTestResult.objects.filter(run=run)}
    assert results[fine.pk].outcome == Outcome.PASS
    assert [results[t.pk].outcome for t in stuck] == [Outcome.ERROR] * 4
    messages = sorted(results[t.pk].error for t in stuck)
    assert messages[-1].startswith("Stopped: runaway formula")
    assert messages[:3] == ["Not run: an earlier test of this mapping timed out."] * 3
    assert elapsed < 4 * 0.5  # one time limit for the mapping, not one per test
    page = client_for(alice).get(runs_url(version)).content.decode()
    assert "Not run: an earlier test of this mapping timed out." in page


@override_settings(MAPPING_TESTS_PER_VERSION=2)
def test_a_full_version_refuses_another_test_and_says_so(mapping, version, alice):
    other = slow_mapping(version, mapping, alice)
    make_test(mapping, alice, name="One")
    make_test(other, alice, name="Two")  # the cap counts the version's tests, whatever their mapping
    with pytest.raises(ActionRefused, match="Version 1.0.0 has 2 mapping tests, the most a version may have"):
        make_test(mapping, alice, name="Three")

    response = client_for(alice).post(create_url(mapping), {"name": "Three", "sample": "{}", "expected": "{}"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "the most a version may have" in page and "Add the test</button>" not in page
    assert MappingTest.objects.count() == 2


@override_settings(MAPPING_TESTS_PER_VERSION=2)
def test_a_version_below_the_cap_still_offers_the_form(mapping, alice):
    make_test(mapping, alice, name="One")
    args = [mapping.version.integration.slug, mapping.version.public_id, mapping.public_id]
    page = client_for(alice).get(reverse("mapping_collection_detail", args=args)).content.decode()
    assert "Add the test</button>" in page and "the most a version may have" not in page


# --- Staleness and runs --------------------------------------------------------------------


def test_editing_the_mapping_makes_its_tests_stale(mapping, version, alice, django_capture_on_commit_callbacks):
    make_test(mapping, alice)
    assert mapping_test_selectors.tests_of_mapping(mapping)[0].state == "never run"
    run_all(version, alice, django_capture_on_commit_callbacks)
    mapping.refresh_from_db()
    assert mapping_test_selectors.tests_of_mapping(mapping)[0].state == "pass"

    add_row(mapping, alice, target="Source", kind="static", value="Magento")
    mapping.refresh_from_db()
    assert mapping_test_selectors.tests_of_mapping(mapping)[0].state == "stale"
    editor = reverse("mapping_collection_detail", args=[version.integration.slug, version.public_id, mapping.public_id])
    assert ">stale</span>" in client_for(alice).get(editor).content.decode()


def test_run_all_stores_every_result_with_the_revision_and_reaches_the_total(
    mapping, version, alice, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(mapping_test_services, "BATCH_SIZE", 2)
    for number in range(5):
        make_test(mapping, alice, name=f"Customer {number}")
    progress = []
    real = mapping_test_services.run_mappings_isolated

    def watching(jobs, **kwargs):
        progress.append(MappingTestRun.objects.get().done)
        return real(jobs, **kwargs)

    monkeypatch.setattr(mapping_test_services, "run_mappings_isolated", watching)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(runs_url(version, "mapping_test_run_start"))
    assert response.status_code == 302

    run = MappingTestRun.objects.get()
    assert (run.status, run.done, run.total) == (RunStatus.DONE, 5, 5)
    assert progress == [0, 2, 4]  # updated after each batch
    assert set(run.results.values_list("mapping_revision", flat=True)) == {mapping.revision}
    assert run.started_at and run.finished_at and run.started_by == alice
    assert AuditEvent.objects.filter(kind="mapping_test_run.finished").exists()
    page = client_for(alice).get(runs_url(version)).content.decode()
    assert "5 of 5 tests" in page and page.count('class="badge badge-success">Pass<') == 5


def test_a_run_that_fails_on_our_side_ends_failed_and_is_recorded_once(mapping, version, alice, monkeypatch):
    make_test(mapping, alice)
    run = mapping_test_services.start_mapping_test_run(version, acting_user=alice)

    def broken(jobs, **kwargs):
        raise RuntimeError("the sandbox is gone")

    monkeypatch.setattr(mapping_test_services, "run_mappings_isolated", broken)
    mapping_test_services.run_mapping_tests(run.pk)
    mapping_test_services.run_mapping_tests(run.pk)  # a redelivered task finds it finished

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "error on our side" in run.message
    event = AuditEvent.objects.get(kind="mapping_test_run.failed")
    assert (event.target, event.within, event.organization, event.actor) == (
        run,
        version,
        version.integration.owner,
        None,
    )
    assert event.sentence == "The portal could not finish a run of the mapping tests of Magento by Northwind 1.0.0"
    assert event.comment == "An error on the portal's side stopped it after 0 of 1 tests (logged)."


def test_a_second_start_while_one_is_queued_is_refused(mapping, version, alice):
    make_test(mapping, alice)
    mapping_test_services.start_mapping_test_run(version, acting_user=alice)  # queued: on_commit not run
    with pytest.raises(ActionRefused, match="already under way"):
        mapping_test_services.start_mapping_test_run(version, acting_user=alice)
    response = client_for(alice).post(runs_url(version, "mapping_test_run_start"), follow=True)
    assert "already under way" in response.content.decode()
    assert MappingTestRun.objects.count() == 1


def test_running_the_task_twice_adds_no_second_result(mapping, version, alice, django_capture_on_commit_callbacks):
    make_test(mapping, alice)
    make_test(mapping, alice, name="Another")
    run = run_all(version, alice, django_capture_on_commit_callbacks)
    finished_at = run.finished_at

    assert mapping_test_services.run_mapping_tests(run.pk) is None
    run.refresh_from_db()
    assert run.results.count() == 2 and run.finished_at == finished_at


def test_a_redelivered_running_task_only_runs_the_tests_without_a_result(mapping, version, alice, monkeypatch):
    first = make_test(mapping, alice)
    make_test(mapping, alice, name="Another")
    run = mapping_test_services.start_mapping_test_run(version, acting_user=alice)
    MappingTestResult.objects.create(run=run, test=first, outcome=Outcome.PASS, mapping_revision=mapping.revision)
    MappingTestRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, done=1)
    evaluated = []
    real = mapping_test_services.run_mappings_isolated
    monkeypatch.setattr(
        mapping_test_services,
        "run_mappings_isolated",
        lambda jobs, **kw: evaluated.append(len(jobs)) or real(jobs, **kw),
    )

    mapping_test_services.run_mapping_tests(run.pk)
    run.refresh_from_db()
    assert evaluated == [1]
    assert (run.status, run.done, run.results.count()) == (RunStatus.DONE, 2, 2)


def test_a_version_without_tests_cannot_start_a_run(version, alice):
    with pytest.raises(ActionRefused, match="no mapping tests yet"):
        mapping_test_services.start_mapping_test_run(version, acting_user=alice)


# --- Saving tests --------------------------------------------------------------------------


def test_a_test_is_added_from_the_editor(mapping, alice):
    data = {"name": "Web order", "description": "A web customer", "sample": '{"email": "a@b.c"}', "expected": "{}"}
    response = client_for(alice).post(create_url(mapping), data)
    assert response.status_code == 302 and response["Location"].endswith("#mapping-tests")
    test = MappingTest.objects.get()
    assert (test.name, test.sample, test.expected, test.parent, test.created_by) == (
        "Web order",
        {"email": "a@b.c"},
        {},
        None,
        alice,
    )
    assert AuditEvent.objects.filter(kind="mapping_test.created").exists()


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("sample", '{"email": ', "Sample input record: malformed JSON"),
        ("sample", "[1, 2]", "Sample input record: the sample must be a JSON object"),
        ("expected", '{"a": NaN}', "Expected output: NaN is not valid JSON"),
        ("parent", "[" * 40 + "]" * 40, "Parent record: the sample is nested 40 levels deep; at most 32"),
        ("sample", '{"id": ' + "9" * 5000 + "}", "Sample input record: the sample has a number too long to read"),
        ("expected", '{"Total": 1e400}', "Expected output: the sample has a number too large to use: 1e400"),
        ("parent", '{"id": -1e999}', "Parent record: the sample has a number too large to use: -1e999"),
    ],
)
def test_bad_json_is_refused_with_its_message(mapping, alice, field, text, message):
    data = {"name": "Broken", "sample": "{}", "expected": "{}", field: text}
    response = client_for(alice).post(create_url(mapping), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MappingTest.objects.exists()


def test_a_name_is_unique_per_mapping(mapping, alice):
    make_test(mapping, alice, name="Web order")
    with pytest.raises(ActionRefused, match="already has a test named"):
        make_test(mapping, alice, name="web ORDER")


def test_a_test_is_updated_and_deleted(mapping, alice):
    test = make_test(mapping, alice)
    test = mapping_test_services.update_mapping_test(
        test, acting_user=alice, name="Renamed", sample='{"email": "x"}', expected='{"Email": "x"}'
    )
    assert (test.name, test.sample) == ("Renamed", {"email": "x"})
    url = reverse(
        "mapping_test_delete",
        args=[mapping.version.integration.slug, mapping.version.public_id, mapping.public_id, test.public_id],
    )
    assert client_for(alice).post(url).status_code == 302
    assert not MappingTest.objects.exists()


# --- Tenancy and queries -------------------------------------------------------------------


def test_another_organization_gets_404_everywhere(mapping, version, alice, bob, django_capture_on_commit_callbacks):
    test = make_test(mapping, alice)
    run = run_all(version, alice, django_capture_on_commit_callbacks)
    slug, vid, mid = version.integration.slug, version.public_id, mapping.public_id
    client = client_for(bob)
    assert client.get(runs_url(version)).status_code == 404
    assert client.post(runs_url(version, "mapping_test_run_start")).status_code == 404
    assert client.get(reverse("mapping_test_run_status", args=[slug, vid, run.public_id])).status_code == 404
    assert client.post(create_url(mapping), {"name": "x", "sample": "{}", "expected": "{}"}).status_code == 404
    assert client.post(reverse("mapping_test_delete", args=[slug, vid, mid, test.public_id])).status_code == 404
    assert MappingTest.objects.count() == 1 and MappingTestRun.objects.count() == 1


def test_the_progress_fragment_polls_until_finished(mapping, version, alice, django_capture_on_commit_callbacks):
    make_test(mapping, alice)
    queued = mapping_test_services.start_mapping_test_run(version, acting_user=alice)
    url = reverse("mapping_test_run_status", args=[version.integration.slug, version.public_id, queued.public_id])
    response = client_for(alice).get(url, **HTMX)
    assert 'hx-trigger="every 1s"' in response.content.decode() and "HX-Refresh" not in response
    mapping_test_services.run_mapping_tests(queued.pk)
    response = client_for(alice).get(url, **HTMX)
    assert response["HX-Refresh"] == "true" and "1 of 1 test" in response.content.decode()


def test_the_runs_page_answers_in_constant_queries(
    mapping, version, alice, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    make_test(mapping, alice)
    run_all(version, alice, django_capture_on_commit_callbacks)
    client = client_for(alice)
    with django_assert_max_num_queries(30) as few:
        assert client.get(runs_url(version)).status_code == 200
    for number in range(8):
        make_test(mapping, alice, name=f"More {number}")
    run_all(version, alice, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(runs_url(version)).content.decode()
    assert page.count('class="badge badge-success">Pass<') == 9
