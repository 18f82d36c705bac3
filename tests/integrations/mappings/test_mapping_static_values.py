"""A static value is checked against its target field's type (the data model's, or the OpenAPI
definition's): the message is next to the value on the row and nothing is saved."""

import pytest
from django.urls import reverse

from integrations.mappings import services as mapping_services
from integrations.mappings.checks import static_value_problem
from integrations.mappings.services import RowValues
from integrations.models import ForeignDataObject, MappingCollection, ObjectState
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def version(northwind):
    integration = IntegrationFactory(owner=northwind, name="Magento by Northwind", slug="magento-by-northwind")
    return IntegrationVersionFactory(integration=integration, number="1.0.0")


@pytest.fixture
def mapping(version, alice):
    return template_mapping(version, alice, "Magento Customer ADD TO IPAAS")


def args(mapping) -> list:
    return [mapping.version.integration.slug, mapping.version.public_id, mapping.public_id]


@pytest.mark.parametrize(
    ("field_type", "good", "bad"),
    [
        ("boolean", ["true", "False"], ["maybe", "yes", "1"]),
        ("integer", ["42", "-7"], ["4.2", "forty", "1e3"]),
        ("decimal", ["19.99", "-0.5", "3"], ["12,50", "1.2.3", "$5"]),
        ("date", ["2026-11-29"], ["2026-02-30", "29/11/2026", "2026-11-29T10:00"]),
        ("datetime", ["2026-11-29T14:30:00Z", "2026-11-29 14:30"], ["2026-11-29", "tomorrow"]),
        ("email", ["ada@example.com"], ["ada.example.com"]),
        ("url", ["https://example.com/"], ["example", "ftp//x"]),
        ("text", ["anything at all"], []),
        ("integer (int64)", ["12"], ["twelve"]),
        ("number (float)", ["1.5"], ["1,5"]),
        ("string (date-time)", ["2026-11-29T14:30:00+01:00"], ["now"]),
        ("string", ["maybe"], []),
        ("array of Address", ["anything"], []),
    ],
)
def test_a_static_value_must_fit_its_fields_type(field_type, good, bad):
    for value in good:
        assert static_value_problem("X", value, field_type) == "", value
    for value in bad:
        assert static_value_problem("X", value, field_type).startswith(f"X is {field_type}: write "), value


def test_an_empty_value_or_an_unknown_type_takes_anything():
    assert static_value_problem("IsActive", "", "boolean") == ""
    assert static_value_problem("Extra", "maybe", None) == ""


def test_maybe_is_refused_for_a_boolean_target_with_a_message_on_the_row_and_nothing_saved(alice, mapping):
    data = {"new-target": "IsActive", "new-kind": "static", "new-value": "maybe"}
    response = client_for(alice).post(reverse("mapping_row_create", args=args(mapping)), data)
    assert response.status_code == 400
    assert "IsActive is True or false: write true or false, not “maybe”." in response.content.decode()
    assert not mapping.rows.exists()


def test_a_fitting_value_is_saved(alice, mapping):
    data = {"new-target": "IsActive", "new-kind": "static", "new-value": "true"}
    assert client_for(alice).post(reverse("mapping_row_create", args=args(mapping)), data).status_code == 302
    assert mapping.rows.get().value == "true"


def test_a_row_edited_in_place_to_a_bad_value_keeps_its_saved_value(alice, mapping):
    row = mapping_services.add_mapping_row(
        mapping, acting_user=alice, values=RowValues(target="CreatedDateTime", kind="static", value="2026-01-01T00:00Z")
    )
    prefix = f"row-{row.public_id}"
    data = {f"{prefix}-target": "CreatedDateTime", f"{prefix}-kind": "static", f"{prefix}-value": "yesterday"}
    data[f"{prefix}-revision"] = row.revision
    url = reverse("mapping_row_update", args=[*args(mapping), row.public_id])
    response = client_for(alice).post(url, data, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "CreatedDateTime is Date and time: write a date and time written as 2026-11-29T14:30:00Z" in html
    assert f'id="row-{row.public_id}"' in html and "<html" not in html  # the row, in place
    row.refresh_from_db()
    assert (row.value, row.revision) == ("2026-01-01T00:00Z", 1)


def test_a_target_that_is_no_known_field_takes_any_value(alice, mapping):
    data = {"new-target": "Loyalty.Tier", "new-kind": "static", "new-value": "maybe"}
    assert client_for(alice).post(reverse("mapping_row_create", args=args(mapping)), data).status_code == 302


def test_from_ipaas_the_openapi_definitions_type_is_the_one_checked(alice, version):
    obj = ForeignDataObject.objects.create(
        integration=version.integration,
        key="customers",
        name="Customers",
        state=ObjectState.ACCEPTED,
        schemas=[
            {"name": "Customer", "location": "x", "fields": [{"name": "age", "type": "integer", "required": False}]}
        ],
    )
    mapping_services.link_foreign_object(
        obj,
        acting_user=alice,
        collection=MappingCollection.objects.get(key="customer"),
        to_ipaas_methods=[],
        from_ipaas_methods=["POST"],
    )
    mapping = template_mapping(version, alice, "Magento Customer ADD FROM IPAAS", direction="from_ipaas")
    data = {"new-target": "age", "new-kind": "static", "new-value": "old"}
    response = client_for(alice).post(reverse("mapping_row_create", args=args(mapping)), data)
    assert response.status_code == 400
    assert "age is integer: write a whole number such as 42, not “old”." in response.content.decode()
