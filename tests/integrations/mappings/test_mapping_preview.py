"""The template mapping editor's preview: a sample record run through the mapping in a sandboxed
child, shown in place (htmx) or on the whole editor: the output for every row kind, the filter
decisions, failing rows with their errors, runaway formulas, refused samples, tenancy, queries."""

import json

import pytest
from django.urls import reverse

from integrations.formulas import MappingRow, MappingSpec, RowKind
from integrations.mappings import services as mapping_services
from integrations.mappings import tables as table_services
from integrations.mappings.runner import spec_for, tables_for
from integrations.mappings.services import RowValues
from integrations.models import TemplateMapping, TemplateMappingRow
from tests.conftest import client_for
from tests.factories import template_mapping

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def countries(integration, alice):
    return table_services.save_translation_table(
        integration, acting_user=alice, table=None, name="Countries", rows=[("USA", "US"), ("France", "FR")]
    )


@pytest.fixture
def mapping(version, alice):
    return template_mapping(version, alice, "Magento Customer ADD TO IPAAS")


@pytest.fixture
def full_mapping(mapping, alice, countries):
    """One row of each kind."""
    add_row(mapping, alice, target="Email", kind="field", source="email")
    add_row(mapping, alice, target="Sku", kind="formula", formula='"WEB" + sku')
    add_row(mapping, alice, target="Source", kind="static", value="Magento")
    add_row(mapping, alice, target="Country", kind="translation", source="country", table=countries)
    return mapping


def add_row(mapping, user, **values):
    return mapping_services.add_mapping_row(mapping, acting_user=user, values=RowValues(**values))


def set_filters(mapping, **filters):
    TemplateMapping.objects.filter(pk=mapping.pk).update(**filters)


def preview_url(mapping) -> str:
    args = [mapping.version.integration.slug, mapping.version.public_id, mapping.public_id]
    return reverse("mapping_preview", args=args)


def preview(user, mapping, sample, htmx=True, **data):
    text = sample if isinstance(sample, str) else json.dumps(sample)
    return client_for(user).post(preview_url(mapping), {"sample": text, **data}, **(HTMX if htmx else {}))


SAMPLE = {"email": "ada@example.com", "sku": "A100", "country": "France"}


# --- The library's view of the models ------------------------------------------------------


def test_spec_for_maps_every_row_kind_in_position_order(full_mapping, integration, django_assert_num_queries):
    set_filters(full_mapping, mapping_filter="sku != ''", error_filter="''")
    full_mapping.refresh_from_db()
    TemplateMappingRow.objects.filter(mapping=full_mapping, target="Email").update(position=99)
    with django_assert_num_queries(1):
        spec = spec_for(full_mapping)
    with django_assert_num_queries(1):
        tables = tables_for(integration)

    assert spec == MappingSpec(
        rows=(
            MappingRow("Sku", RowKind.FORMULA, formula='"WEB" + sku'),
            MappingRow("Source", RowKind.STATIC, value="Magento"),
            MappingRow("Country", RowKind.TRANSLATION, source="country", table="Countries", default=None),
            MappingRow("Email", RowKind.FIELD, source="email"),
        ),
        mapping_filter="sku != ''",
        error_filter="''",
    )
    assert tables == {"Countries": {"USA": "US", "France": "FR"}}


def test_a_translation_default_is_kept_and_an_empty_one_is_a_default_too(mapping, alice, countries):
    add_row(mapping, alice, target="A", kind="translation", source="c", table=countries, default="ZZ")
    TemplateMappingRow.objects.create(
        mapping=mapping,
        target="B",
        kind="translation",
        source="c",
        table=countries,
        has_default=True,
        default="",
        position=99,
    )

    assert [row.default for row in spec_for(mapping).rows] == ["ZZ", ""]


# --- Outcomes ------------------------------------------------------------------------------


def test_the_output_record_has_a_value_for_each_row_kind(alice, full_mapping):
    response = preview(alice, full_mapping, SAMPLE)

    assert response.status_code == 200
    preview_ctx = response.context["preview"]
    assert preview_ctx["result"].output == {
        "Email": "ada@example.com",
        "Sku": "WEBA100",
        "Source": "Magento",
        "Country": "FR",
    }
    html = response.content.decode()
    assert "Mapped: every row ran" in html
    assert "&quot;Sku&quot;: &quot;WEBA100&quot;" in html
    assert "kept: no mapping filter" in html


def test_a_record_the_mapping_filter_does_not_keep_is_skipped_with_the_reason(alice, full_mapping):
    set_filters(full_mapping, mapping_filter='country == "USA"')

    response = preview(alice, full_mapping, SAMPLE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Skipped: the mapping filter did not keep this record" in html
    assert "skipped: the mapping filter is false" in html
    assert "not evaluated: the mapping filter did not keep the record" in html
    assert "WEBA100" not in html


def test_a_record_the_mapping_filter_keeps_says_so(alice, full_mapping):
    set_filters(full_mapping, mapping_filter='country == "France"')

    html = preview(alice, full_mapping, SAMPLE).content.decode()

    assert "kept: the mapping filter is true" in html
    assert "WEBA100" in html


def test_the_error_filter_fails_the_record_with_its_message(alice, full_mapping):
    set_filters(full_mapping, error_filter='"Email is missing" if is_empty(email) else ""')

    failing = preview(alice, full_mapping, {**SAMPLE, "email": ""}).content.decode()
    passing = preview(alice, full_mapping, SAMPLE).content.decode()

    assert "Failed: Email is missing." in failing
    assert "failed the record: Email is missing" in failing
    assert 'role="alert"' in failing
    assert "passed: the error filter found nothing wrong" in passing


def test_a_failing_row_shows_its_error_next_to_its_target_and_is_marked(alice, full_mapping):
    row = full_mapping.rows.get(target="Country")

    response = preview(alice, full_mapping, {**SAMPLE, "country": "Spain"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Failed: 1 row failed." in html
    error = next(r.error for r in response.context["preview"]["result"].rows if not r.ok)
    assert "Spain" in error
    # In the result's row list, next to the target ...
    assert f'<a href="#row-{row.public_id}"><code>Country</code></a>:\n        <strong>failed</strong>: ' in html
    # ... and in the row's slot in the editor, swapped out of band.
    slot = html.split(f'id="row-{row.public_id}-preview"')[1].split("</div>")[0]
    assert 'hx-swap-oob="true"' in slot
    assert "mapping-row-failed" in slot
    assert "Country</code> failed</strong>" in slot
    # The rows that did not fail have an empty slot, clearing an earlier preview's error.
    email = full_mapping.rows.get(target="Email")
    assert f'id="row-{email.public_id}-preview" class="mapping-row-preview" hx-swap-oob="true"></div>' in html


def test_a_runaway_formula_is_reported_as_such(alice, mapping):
    # Saved before the checks existed, or slow without a refusable shape: overlapping alternatives.
    TemplateMappingRow.objects.create(mapping=mapping, target="X", kind="formula", formula='regex_match(s, "(a|aa)*$")')

    response = preview(alice, mapping, {"s": "a" * 60 + "!"})

    assert response.status_code == 200
    assert "runaway formula: stopped after 2.0 s" in response.content.decode()


def test_a_parent_record_is_read_as_parent(alice, mapping):
    add_row(mapping, alice, target="CustomerId", kind="formula", formula="Parent.id")

    response = preview(alice, mapping, {"street": "Main"}, parent='{"id": 7}')

    assert response.context["preview"]["result"].output == {"CustomerId": 7}


# --- Refused samples -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sample, message",
    [
        ('{"email": ', "Sample source record: malformed JSON: Expecting value (line 1, column 10)"),
        ("[1, 2]", "Sample source record: the sample must be a JSON object ({...}), not a list"),
        ('{"a": ' * 33 + "1" + "}" * 33, "Sample source record: the sample is nested 33 levels deep; at most 32"),
        (
            '{"a": "' + "x" * (1024 * 1024 + 10) + '"}',
            "Sample source record: the sample is 1,048,595 bytes; at most 1,048,576 (1 MB)",
        ),
        (
            '{"id": ' + "9" * 5000 + "}",
            "Sample source record: the sample has a number too long to read: 5,000 digits (at most 4,300)",
        ),
        (
            '{"id": 1e400}',
            "Sample source record: the sample has a number too large to use: 1e400 (at most about 1.8e308)",
        ),
        ("", "Sample source record (JSON): This field is required."),
    ],
    ids=["malformed", "not-an-object", "too-deep", "too-large", "long-number", "infinite-number", "empty"],
)
def test_a_sample_that_cannot_be_used_is_refused_in_place_with_a_message(alice, full_mapping, sample, message):
    response = preview(alice, full_mapping, sample)

    assert response.status_code == 400
    assert response.context["preview"]["problems"] == [message]
    html = response.content.decode()
    assert "The preview did not run:" in html
    assert 'role="alert"' in html
    assert "<html" not in html


def test_a_malformed_parent_record_is_refused_by_name(alice, full_mapping):
    response = preview(alice, full_mapping, SAMPLE, parent="{nope")

    assert response.status_code == 400
    assert response.context["preview"]["problems"][0].startswith("Parent record: malformed JSON")


def test_a_parent_record_with_a_number_too_long_to_read_is_refused_by_name(alice, full_mapping):
    response = preview(alice, full_mapping, SAMPLE, parent='{"id": ' + "9" * 5000 + "}")

    assert response.status_code == 400
    assert response.context["preview"]["problems"] == [
        "Parent record: the sample has a number too long to read: 5,000 digits (at most 4,300)"
    ]


# --- Pages, tenancy, queries ---------------------------------------------------------------


def test_the_editor_offers_the_preview_form(alice, full_mapping):
    args = [full_mapping.version.integration.slug, full_mapping.version.public_id, full_mapping.public_id]
    html = client_for(alice).get(reverse("mapping_collection_detail", args=args)).content.decode()

    assert "Preview with a sample record" in html
    assert f'hx-post="{preview_url(full_mapping)}"' in html
    assert 'id="mapping-preview-result"' in html
    assert "Parent record (JSON)" not in html  # Customer is not a child collection


def test_htmx_gets_the_fragment_and_a_plain_post_the_whole_editor_with_the_result(alice, full_mapping):
    row = full_mapping.rows.get(target="Country")
    sample = {**SAMPLE, "country": "Spain"}

    fragment = preview(alice, full_mapping, sample).content.decode()
    page_response = preview(alice, full_mapping, sample, htmx=False)
    page = page_response.content.decode()

    assert "<html" not in fragment and "Add a row" not in fragment
    assert page_response.status_code == 200
    assert "<html" in page and "Add a row" in page
    assert "Failed: 1 row failed." in page
    assert "mapping-row-failed-preview" in page  # the row's article is marked
    slot = page.split(f'id="row-{row.public_id}-preview"')[1].split("</div>")[0]
    assert "Country</code> failed</strong>" in slot and "hx-swap-oob" not in slot
    assert "&quot;country&quot;: &quot;Spain&quot;" in page  # the sample stays in the form


def test_a_refused_sample_without_htmx_shows_the_editor_with_400(alice, full_mapping):
    response = preview(alice, full_mapping, "{", htmx=False)

    assert response.status_code == 400
    assert "Add a row" in response.content.decode()
    assert "malformed JSON" in response.content.decode()


def test_a_member_may_preview(ivy, full_mapping):
    assert preview(ivy, full_mapping, SAMPLE).status_code == 200


def test_another_organization_gets_404(bob, full_mapping):
    assert preview(bob, full_mapping, SAMPLE).status_code == 404


def test_get_is_not_allowed(alice, full_mapping):
    assert client_for(alice).get(preview_url(full_mapping)).status_code == 405


def test_the_preview_answers_in_constant_queries(alice, full_mapping, countries, django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as few:
        assert preview(alice, full_mapping, SAMPLE).status_code == 200
    for n in range(12):
        add_row(full_mapping, alice, target=f"Extra{n}", kind="translation", source="country", table=countries)
        table_services.save_translation_table(
            full_mapping.version.integration, acting_user=alice, table=None, name=f"T{n}", rows=[("a", "b")]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert preview(alice, full_mapping, SAMPLE).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries) + 12):  # the editor page has its own budget
        assert preview(alice, full_mapping, SAMPLE, htmx=False).status_code == 200
