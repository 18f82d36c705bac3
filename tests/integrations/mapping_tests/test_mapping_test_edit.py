"""Editing a mapping test: its page, the same checks as adding one (each message next to its field,
the text kept), an audit row, and its earlier results no longer counting until the next run
("not run since edited"), as mapping_test_selectors.result_state decides for every reader."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.mapping_tests import selectors as mapping_test_selectors
from integrations.mapping_tests import services as mapping_test_services
from integrations.mapping_tests.selectors import EDITED, NEVER_RUN, STALE, result_state
from integrations.mappings import services as mapping_services
from integrations.mappings.services import RowValues
from integrations.models import MappingTest, MappingTestResult, MappingTestRun
from portal.models import AuditEvent
from tests.conftest import client_for
from tests.factories import template_mapping

pytestmark = pytest.mark.django_db

SAMPLE = {"email": "ada@example.com", "sku": "A100"}
EXPECTED = {"Email": "ada@example.com", "Sku": "WEBA100"}


@pytest.fixture
def mapping(version, alice):
    mapping = template_mapping(version, alice, "Magento Customer ADD TO IPAAS")
    for values in (
        RowValues(target="Email", kind="field", source="email"),
        RowValues("Sku", "formula", formula='"WEB" + sku'),
    ):
        mapping_services.add_mapping_row(mapping, acting_user=alice, values=values)
    mapping.refresh_from_db()
    return mapping


@pytest.fixture
def test(mapping, alice):
    return mapping_test_services.create_mapping_test(
        mapping, acting_user=alice, name="New web customer", sample=json.dumps(SAMPLE), expected=json.dumps(EXPECTED)
    )


def edit_url(test, **query) -> str:
    mapping = test.mapping
    url = reverse(
        "mapping_test_edit",
        args=[mapping.version.integration.slug, mapping.version.public_id, mapping.public_id, test.public_id],
    )
    return url + ("?from=runs" if query.get("from_runs") else "")


def posted(**changes) -> dict:
    return {"name": "New web customer", "sample": json.dumps(SAMPLE), "expected": json.dumps(EXPECTED)} | changes


def run_all(version, user, django_capture_on_commit_callbacks) -> MappingTestRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = mapping_test_services.start_mapping_test_run(version, acting_user=user)
    return MappingTestRun.objects.get(pk=run.pk)


def state_of(test) -> str:
    return next(t.state for t in mapping_test_selectors.tests_of_mapping(test.mapping) if t.pk == test.pk)


# --- The page ------------------------------------------------------------------------------


def test_the_edit_page_shows_the_test_as_saved_with_its_json_indented(alice, test):
    response = client_for(alice).get(edit_url(test))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Edit the test “New web customer”</h1>" in page
    assert 'value="New web customer"' in page
    assert "&quot;email&quot;: &quot;ada@example.com&quot;" in page
    assert '<label for="test_sample"' in page and '<label for="test_expected"' in page


def test_a_saved_edit_changes_the_test_and_records_who_and_what(alice, test):
    data = posted(name="Web customer from the US", description="A US address", expected='{"Email": "x"}')
    response = client_for(alice).post(edit_url(test), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#test-{test.public_id}")
    test.refresh_from_db()
    assert (test.name, test.description, test.expected) == ("Web customer from the US", "A US address", {"Email": "x"})
    event = AuditEvent.objects.get(kind="mapping_test.updated")
    assert (event.actor, event.from_state, event.to_state) == (alice, "New web customer", "Web customer from the US")
    assert event.comment == "changed: name, flow it proves, expected output"


def test_saving_from_the_runs_page_goes_back_to_it(alice, test):
    response = client_for(alice).post(edit_url(test, from_runs=True), posted(expected='{"Email": "y"}'))
    version = test.mapping.version
    runs = reverse("mapping_test_runs", args=[version.integration.slug, version.public_id])
    assert response["Location"] == f"{runs}#result-{test.public_id}"


def test_saving_the_same_values_again_writes_nothing(alice, test):
    before = test.updated_at
    assert client_for(alice).post(edit_url(test), posted()).status_code == 302
    test.refresh_from_db()
    assert test.updated_at == before
    assert not AuditEvent.objects.filter(kind="mapping_test.updated").exists()


def test_a_number_changed_to_true_counts_as_a_change(alice, test):
    """In Python 1 == True; an expected output tells them apart, so the edit must be saved."""
    mapping_test_services.update_mapping_test(
        test, acting_user=alice, name=test.name, sample=json.dumps(SAMPLE), expected='{"Active": 1}'
    )
    saved = mapping_test_services.update_mapping_test(
        test, acting_user=alice, name=test.name, sample=json.dumps(SAMPLE), expected='{"Active": true}'
    )
    assert MappingTest.objects.get(pk=saved.pk).expected == {"Active": True}


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("sample", '{"email": ', "Sample input record: malformed JSON"),
        ("expected", "[1]", "Expected output: the sample must be a JSON object"),
        ("parent", "[" * 40 + "]" * 40, "Parent record: the sample is nested 40 levels deep; at most 32"),
        (
            "sample",
            '{"a": "' + "x" * (1024 * 1024) + '"}',
            "Sample input record: the sample is 1,048,585 bytes; at most 1,048,576 (1 MB)",
        ),
        ("sample", '{"id": ' + "9" * 5000 + "}", "Sample input record: the sample has a number too long to read"),
        ("expected", '{"Total": 1e400}', "Expected output: the sample has a number too large to use: 1e400"),
    ],
)
def test_bad_json_is_refused_next_to_its_field_and_the_text_is_kept(alice, test, field, text, message):
    response = client_for(alice).post(edit_url(test), posted(**{field: text}))
    page = response.content.decode()
    assert response.status_code == 400
    between_label_and_box = page.split(f'for="test_{field}"')[1].split(f'id="test_{field}"')[0]
    assert message in between_label_and_box  # next to its field
    if len(text) < 1000:
        assert text.replace('"', "&quot;") in page  # what the person typed is still there
    test.refresh_from_db()
    assert test.sample == SAMPLE and test.expected == EXPECTED


def test_a_name_another_test_of_the_mapping_has_is_refused(alice, test, mapping):
    mapping_test_services.create_mapping_test(mapping, acting_user=alice, name="Returning", sample="{}", expected="{}")
    response = client_for(alice).post(edit_url(test), posted(name="RETURNING"))
    assert response.status_code == 400
    assert "already has a test named “RETURNING”" in response.content.decode()
    test.refresh_from_db()
    assert test.name == "New web customer"


def test_an_empty_name_is_refused(alice, test):
    response = client_for(alice).post(edit_url(test), posted(name="  "))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_another_organization_gets_404_and_changes_nothing(bob, test):
    client = client_for(bob)
    assert client.get(edit_url(test)).status_code == 404
    assert client.post(edit_url(test), posted(name="Theirs")).status_code == 404
    test.refresh_from_db()
    assert test.name == "New web customer"


def test_a_test_of_another_mapping_is_not_found_under_this_one(alice, test, mapping, version):
    other = mapping_services.clone_template_mapping(mapping, acting_user=alice)
    url = reverse(
        "mapping_test_edit", args=[version.integration.slug, version.public_id, other.public_id, test.public_id]
    )
    assert client_for(alice).get(url).status_code == 404


def test_the_editor_and_the_runs_page_link_to_the_edit_page(alice, test, version, django_capture_on_commit_callbacks):
    run_all(version, alice, django_capture_on_commit_callbacks)
    client = client_for(alice)
    editor = reverse(
        "mapping_collection_detail", args=[version.integration.slug, version.public_id, test.mapping.public_id]
    )
    assert edit_url(test) in client.get(editor).content.decode()
    runs = client.get(reverse("mapping_test_runs", args=[version.integration.slug, version.public_id]))
    assert edit_url(test, from_runs=True) in runs.content.decode()


# --- Staleness -----------------------------------------------------------------------------


def test_an_edited_test_shows_not_run_since_edited_until_the_next_run(
    alice, test, version, django_capture_on_commit_callbacks
):
    run_all(version, alice, django_capture_on_commit_callbacks)
    assert state_of(test) == "pass"

    client_for(alice).post(edit_url(test), posted(expected='{"Email": "ada@example.com", "Sku": "A100"}'))
    assert state_of(test) == EDITED
    editor = reverse(
        "mapping_collection_detail", args=[version.integration.slug, version.public_id, test.mapping.public_id]
    )
    assert ">not run since edited</span>" in client_for(alice).get(editor).content.decode()
    runs = client_for(alice).get(reverse("mapping_test_runs", args=[version.integration.slug, version.public_id]))
    assert "Test edited since: not run since edited" in runs.content.decode()

    run_all(version, alice, django_capture_on_commit_callbacks)
    assert state_of(test) == "fail"  # the new expected output, judged by the new run


def test_an_edit_saved_while_a_run_evaluates_leaves_that_result_not_counting(
    alice, test, version, django_capture_on_commit_callbacks, monkeypatch
):
    """The run reads the tests' values first; an edit saved after that (during the evaluation)
    is newer than the result's ran_at, so the result it gives is for the old values."""
    real = mapping_test_services.run_mappings_isolated

    def edit_meanwhile(jobs, **kwargs):
        mapping_test_services.update_mapping_test(
            test, acting_user=alice, name=test.name, sample=json.dumps(SAMPLE), expected='{"Email": "changed"}'
        )
        return real(jobs, **kwargs)

    monkeypatch.setattr(mapping_test_services, "run_mappings_isolated", edit_meanwhile)
    run = run_all(version, alice, django_capture_on_commit_callbacks)
    assert MappingTestResult.objects.get(run=run, test=test).outcome == "pass"  # the values it read
    assert state_of(test) == EDITED


def test_a_renamed_test_needs_a_run_too(alice, test, version, django_capture_on_commit_callbacks):
    run_all(version, alice, django_capture_on_commit_callbacks)
    mapping_test_services.update_mapping_test(
        test, acting_user=alice, name="Renamed", sample=json.dumps(SAMPLE), expected=json.dumps(EXPECTED)
    )
    assert state_of(test) == EDITED


def test_result_state_decides_for_every_reader():
    now = timezone.now()
    current = {"ran_at": now, "ran_revision": 3, "test_updated_at": now - timedelta(seconds=1), "mapping_revision": 3}
    assert result_state("pass", **current) == "pass"
    assert result_state("fail", **current) == "fail"
    assert result_state(None, **current | {"ran_at": None, "ran_revision": None}) == NEVER_RUN
    assert result_state("pass", **current | {"test_updated_at": now + timedelta(seconds=1)}) == EDITED
    assert result_state("pass", **current | {"mapping_revision": 4}) == STALE
    assert not mapping_test_selectors.is_current(EDITED) and mapping_test_selectors.is_current("error")


def test_tests_of_version_gives_each_test_its_state_in_one_query(
    alice, test, mapping, version, django_capture_on_commit_callbacks, django_assert_num_queries
):
    run_all(version, alice, django_capture_on_commit_callbacks)
    other = mapping_test_services.create_mapping_test(
        mapping, acting_user=alice, name="Another", sample="{}", expected="{}"
    )
    with django_assert_num_queries(1):
        states = {t.name: (t.state, t.mapping.name) for t in mapping_test_selectors.tests_of_version(version)}
    assert states == {test.name: ("pass", mapping.name), other.name: (NEVER_RUN, mapping.name)}


# --- Two people editing one test -------------------------------------------------------------


def test_two_people_editing_one_test_the_second_save_is_a_conflict_and_nothing_is_overwritten(alice, ivy, test):
    page = client_for(ivy).get(edit_url(test))
    loaded = page.context["form"].initial["loaded_version"]
    assert client_for(alice).post(edit_url(test), posted(name="Alice's name")).status_code == 302

    response = client_for(ivy).post(edit_url(test), posted(name="Ivy's name", loaded_version=loaded))

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this test while you were editing it" in html
    assert html.index("Someone else saved") < html.index("Their version, saved") < html.index("<h2>Your version")
    assert "Alice&#x27;s name" in html  # theirs, shown
    assert 'value="Ivy&#x27;s name"' in html  # hers, kept in the form
    assert MappingTest.objects.get(pk=test.pk).name == "Alice's name"


def test_saving_again_after_a_test_conflict_puts_the_values_over_theirs(alice, ivy, test):
    loaded = client_for(ivy).get(edit_url(test)).context["form"].initial["loaded_version"]
    client_for(alice).post(edit_url(test), posted(name="Alice's name"))
    conflict = client_for(ivy).post(edit_url(test), posted(name="Ivy's name", loaded_version=loaded))

    again = client_for(ivy).post(edit_url(test), conflict.context["form"].data)

    assert again.status_code == 302
    assert MappingTest.objects.get(pk=test.pk).name == "Ivy's name"
