"""A row form shows the inputs of its kind only: the page has the others in a noscript part (shown
when JavaScript is off, so any kind can still be chosen and saved), and choosing another kind swaps
the inputs in place with what was typed so far (mapping_row_fields, htmx: without that part)."""

import re

import pytest
from django.urls import reverse

from integrations.mappings import services as mapping_services
from integrations.mappings.services import RowValues
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapping(northwind, alice):
    integration = IntegrationFactory(owner=northwind, name="Magento by Northwind", slug="magento-by-northwind")
    version = IntegrationVersionFactory(integration=integration, number="1.0.0")
    return template_mapping(version, alice, "Magento Customer ADD TO IPAAS")


def args(mapping) -> list:
    return [mapping.version.integration.slug, mapping.version.public_id, mapping.public_id]


def shown_and_hidden(html: str, slot: str) -> tuple[set[str], set[str]]:
    """The labelled inputs of a slot outside and inside its noscript part (but Notes, every kind's)."""
    fields = html.split(f'id="row-fields-{slot}"')[1]
    visible, _, rest = fields.partition("<noscript>")
    hidden = rest.partition("</noscript>")[0]
    names = re.compile(r'<label for="[^"]+">([^<]+)</label>')
    return set(names.findall(visible)) - {"Notes:"}, set(names.findall(hidden))


def test_the_new_row_form_shows_the_field_to_field_inputs_and_keeps_the_rest_for_no_script(alice, mapping):
    page = client_for(alice).get(reverse("mapping_collection_detail", args=args(mapping))).content.decode()
    shown, hidden = shown_and_hidden(page, "new")
    assert shown == {"Target:", "Kind:", "Source:"}
    assert hidden == {"Dynamic formula:", "Static value:", "Translation table:", "Default:"}


@pytest.mark.parametrize(
    ("kind", "inputs"),
    [
        ("static", {"Static value:"}),
        ("formula", {"Dynamic formula:"}),
        ("translation", {"Source:", "Translation table:", "Default:"}),
        ("field", {"Source:"}),
    ],
)
def test_choosing_a_kind_swaps_in_its_inputs_with_what_was_typed(alice, mapping, kind, inputs):
    query = {"slot": "new", "new-target": "IsActive", "new-kind": kind, "new-value": "true", "new-notes": "Always on"}
    response = client_for(alice).get(reverse("mapping_row_fields", args=args(mapping)), query, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<div") and "<html" not in html  # the fragment alone
    shown, hidden = shown_and_hidden(html, "new")
    assert shown == {"Target:", "Kind:"} | inputs
    assert hidden == set() and "<noscript>" not in html  # htmx would make live inputs of it
    assert 'value="IsActive"' in html and "Always on" in html and 'value="true"' in html


def test_a_saved_rows_form_swaps_in_its_own_slot_and_keeps_its_revision(alice, mapping):
    row = mapping_services.add_mapping_row(
        mapping, acting_user=alice, values=RowValues(target="Email", kind="field", source="email")
    )
    prefix = f"row-{row.public_id}"
    query = {"slot": str(row.public_id), f"{prefix}-target": "Email", f"{prefix}-kind": "formula"}
    query[f"{prefix}-revision"] = "1"
    url = reverse("mapping_row_fields", args=args(mapping))
    html = client_for(alice).get(url, query, HTTP_HX_REQUEST="true").content.decode()
    assert f'id="row-fields-{row.public_id}"' in html
    assert f'name="{prefix}-revision" value="1"' in html
    assert shown_and_hidden(html, str(row.public_id))[0] == {"Target:", "Kind:", "Dynamic formula:"}


def test_a_slot_that_is_no_row_of_this_mapping_is_404(alice, bob, mapping):
    url = reverse("mapping_row_fields", args=args(mapping))
    assert client_for(alice).get(url, {"slot": "not-a-row"}).status_code == 404
    assert client_for(bob).get(url, {"slot": "new"}).status_code == 404


def test_a_row_posted_with_every_input_saves_only_its_kinds(alice, mapping):
    """Without JavaScript the form posts every input: the row keeps those of its kind."""
    data = {"new-target": "IsActive", "new-kind": "static", "new-value": "true", "new-source": "x", "new-formula": "1"}
    assert client_for(alice).post(reverse("mapping_row_create", args=args(mapping)), data).status_code == 302
    row = mapping.rows.get()
    assert (row.value, row.source, row.formula) == ("true", "", "")


# --- Adding a row at the top ----------------------------------------------------------------


def test_a_row_added_at_the_top_comes_before_the_others(alice, mapping):
    for target in ("Email", "Phone"):
        mapping_services.add_mapping_row(
            mapping, acting_user=alice, values=RowValues(target=target, kind="field", source=target.lower())
        )
    data = {"at": "top", "new-target": "Id", "new-kind": "field", "new-source": "id"}
    response = client_for(alice).post(reverse("mapping_row_create", args=args(mapping)), data)
    assert response.status_code == 302
    assert [row.target for row in mapping.rows.all()] == ["Id", "Email", "Phone"]
    page = client_for(alice).get(reverse("mapping_collection_detail", args=args(mapping))).content.decode()
    assert page.index("<code>Id</code>") < page.index("<code>Email</code>") < page.index("<code>Phone</code>")


def test_a_refused_row_from_the_top_form_comes_back_there_open_with_its_message(alice, mapping):
    data = {"at": "top", "new-target": "IsActive", "new-kind": "static", "new-value": "maybe"}
    response = client_for(alice).post(reverse("mapping_row_create", args=args(mapping)), data)
    assert response.status_code == 400
    page = response.content.decode()
    top = page.split('id="new-row-top"')[1].split("</details>")[0]
    assert top.startswith(' class="add-row-top" open>')
    assert "write true or false, not “maybe”" in top and 'id="top_new-value"' in top
    bottom = page.split('id="new-row"')[1]
    assert "not “maybe”" not in bottom and 'id="id_new-value"' in bottom  # the other form is fresh


def test_the_top_forms_inputs_swap_in_their_own_slot_with_their_own_ids(alice, mapping):
    query = {"slot": "top", "new-target": "IsActive", "new-kind": "static"}
    url = reverse("mapping_row_fields", args=args(mapping))
    html = client_for(alice).get(url, query, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="row-fields-top"' in html and 'id="top_new-value"' in html and 'name="new-value"' in html


# --- What the editor says when a row's kind changes ------------------------------------------


def _fields(alice, mapping, query):
    url = reverse("mapping_row_fields", args=args(mapping))
    return client_for(alice).get(url, query, HTTP_HX_REQUEST="true").content.decode()


def test_the_swapped_inputs_say_which_row_is_now_of_which_kind_and_which_input_takes_focus(alice, mapping):
    rows = [
        mapping_services.add_mapping_row(
            mapping, acting_user=alice, values=RowValues(target=target, kind="field", source=target.lower())
        )
        for target in ("Id", "Email", "Phone")
    ]
    prefix = f"row-{rows[2].public_id}"

    html = _fields(alice, mapping, {"slot": str(rows[2].public_id), f"{prefix}-kind": "formula"})

    assert 'data-announce="Row 3 is now a dynamic formula: enter the formula."' in html
    assert f'data-focus="id_{prefix}-formula"' in html and f'id="id_{prefix}-formula"' in html


def test_a_row_added_at_the_top_is_row_one_when_its_kind_changes(alice, mapping):
    mapping_services.add_mapping_row(
        mapping, acting_user=alice, values=RowValues(target="Email", kind="field", source="e")
    )
    data = {"at": "top", "new-target": "Id", "new-kind": "field", "new-source": "id"}
    client_for(alice).post(reverse("mapping_row_create", args=args(mapping)), data)
    top = mapping.rows.get(target="Id")

    html = _fields(alice, mapping, {"slot": str(top.public_id), f"row-{top.public_id}-kind": "static"})

    assert 'data-announce="Row 1 is now a static value: enter the value."' in html


@pytest.mark.parametrize(
    ("slot", "kind", "sentence", "focus"),
    [
        ("new", "field", "The new row is now field to field: enter the source field.", "id_new-source"),
        (
            "new",
            "translation",
            "The new row is now a translation: enter the source field, then choose the translation table.",
            "id_new-source",
        ),
        ("top", "static", "The new row at the top is now a static value: enter the value.", "top_new-value"),
    ],
)
def test_the_new_rows_forms_say_their_new_kind(alice, mapping, slot, kind, sentence, focus):
    html = _fields(alice, mapping, {"slot": slot, "new-kind": kind})

    assert f'data-announce="{sentence}"' in html and f'data-focus="{focus}"' in html


def test_an_unknown_kind_announces_nothing(alice, mapping):
    html = _fields(alice, mapping, {"slot": "new", "new-kind": "telepathy"})

    assert "data-announce" not in html


def test_the_editor_page_has_a_polite_status_region_and_announces_nothing_on_load(alice, mapping):
    url = reverse("mapping_collection_detail", args=args(mapping))

    html = client_for(alice).get(url).content.decode()

    assert '<p id="mapping-rows-status" class="visually-hidden" role="status" aria-live="polite"></p>' in html
    assert "data-announce" not in html and "js/mapping_rows" in html
