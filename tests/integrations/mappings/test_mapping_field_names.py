"""The names a template mapping reads, checked when it is saved. From iPaaS the source record is
the iPaaS.com record of the mapping's collection: formulas, filters and sources naming anything
else are refused, suggesting the closest field. To iPaaS the source is the third party's record,
which the portal does not know: any name is accepted, and a target that is not a field of the
collection is shown with a note rather than refused."""

import pytest
from django.urls import reverse

from integrations.demo import certified as demo_certified
from integrations.mappings import checks as mapping_checks
from integrations.mappings import services as mapping_services
from integrations.mappings import tables as table_services
from integrations.mappings.services import RowValues
from integrations.models import Direction, MappingCollection, TemplateMapping, TemplateMappingRow
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory

pytestmark = pytest.mark.django_db

TO, FROM = Direction.TO_IPAAS, Direction.FROM_IPAAS
CUSTOMER_FIELDS = "The iPaaS Customer record has: Id, Email, FirstName, LastName, CompanyName, Phone, Category"


@pytest.fixture
def version(northwind):
    integration = IntegrationFactory(owner=northwind, name="Magento by Northwind", application__name="Magento")
    return IntegrationVersionFactory(integration=integration, number="1.0.0")


def make(version, user, direction, key="customer", parent=None) -> TemplateMapping:
    collection = MappingCollection.objects.get(key=key)
    return mapping_services.create_template_mapping(
        version,
        acting_user=user,
        name=mapping_services.propose_mapping_name("Magento", collection, "add", direction),
        collection=collection,
        parent=parent,
        direction=direction,
        sync_type="add",
        collision_handling="skip",
        mapping_filter="",
        error_filter="",
        notes="",
    )


@pytest.fixture
def from_ipaas(version, alice):
    return make(version, alice, FROM)


@pytest.fixture
def to_ipaas(version, alice):
    return make(version, alice, TO)


@pytest.fixture
def groups(version, alice):
    return table_services.save_translation_table(
        version.integration, acting_user=alice, table=None, name="Groups", rows=[("Retail", "0")]
    )


def mapping_args(mapping) -> list:
    return [mapping.version.integration.slug, mapping.version.public_id, mapping.public_id]


def add_row_post(user, mapping, **values):
    url = reverse("mapping_row_create", args=mapping_args(mapping))
    return client_for(user).post(url, {f"new-{key}": value for key, value in values.items()})


def page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


# --- From iPaaS: the collection's fields ---------------------------------------------------


def test_a_from_ipaas_formula_naming_an_unknown_field_is_refused_suggesting_the_closest(alice, from_ipaas):
    response = add_row_post(alice, from_ipaas, target="email", kind="formula", formula="lower(Emial)")

    assert response.status_code == 400
    html = page(response)
    assert "unknown field Emial: did you mean Email?" in html
    assert CUSTOMER_FIELDS in html
    assert not TemplateMappingRow.objects.exists()


def test_a_from_ipaas_formula_may_read_the_collections_fields_and_the_parent(alice, version, to_ipaas):
    customer = make(version, alice, FROM)
    address = make(version, alice, FROM, key="customer-address", parent=customer)

    response = add_row_post(alice, address, target="line1", kind="formula", formula='Address1 + " " + Parent.Email')

    assert response.status_code == 302
    assert TemplateMappingRow.objects.get(mapping=address).formula == 'Address1 + " " + Parent.Email'


def test_a_from_ipaas_field_source_naming_an_unknown_field_is_refused(alice, from_ipaas):
    response = add_row_post(alice, from_ipaas, target="email", kind="field", source="Emial")

    assert response.status_code == 400
    assert f"unknown field Emial: did you mean Email? {CUSTOMER_FIELDS}" in page(response)


def test_a_from_ipaas_translation_source_is_checked_too(alice, from_ipaas, groups):
    response = add_row_post(alice, from_ipaas, target="group", kind="translation", source="Categroy", table=groups.pk)

    assert response.status_code == 400
    assert "unknown field Categroy: did you mean Category?" in page(response)


def test_a_from_ipaas_source_path_checks_its_first_field_only(alice, from_ipaas):
    response = add_row_post(alice, from_ipaas, target="email", kind="field", source="Email.Address")
    assert response.status_code == 302


def test_a_from_ipaas_source_cannot_read_the_parent_record(alice, version):
    customer = make(version, alice, FROM)
    address = make(version, alice, FROM, key="customer-address", parent=customer)

    response = add_row_post(alice, address, target="customer_email", kind="field", source="Parent.Email")

    assert response.status_code == 400
    assert "to read the parent record, use a dynamic formula" in page(response)


def test_a_malformed_source_path_is_refused(alice, to_ipaas):
    response = add_row_post(alice, to_ipaas, target="Email", kind="field", source="address..city")
    assert response.status_code == 400
    assert "not a field path" in page(response)


def test_editing_a_from_ipaas_row_checks_its_names(alice, from_ipaas):
    row = mapping_services.add_mapping_row(
        from_ipaas, acting_user=alice, values=RowValues(target="email", kind="field", source="Email")
    )
    url = reverse("mapping_row_update", args=[*mapping_args(from_ipaas), row.public_id])
    data = {f"row-{row.public_id}-{key}": value for key, value in {"target": "email", "kind": "field"}.items()}
    data |= {f"row-{row.public_id}-source": "EMail", f"row-{row.public_id}-revision": 1}

    response = client_for(alice).post(url, data, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert "unknown field EMail: did you mean Email?" in page(response)
    row.refresh_from_db()
    assert row.source == "Email"


@pytest.mark.parametrize("field", ["mapping_filter", "error_filter"])
def test_a_from_ipaas_filter_naming_an_unknown_field_is_refused(alice, version, field):
    url = reverse("mapping_collection_create", args=[version.integration.slug, version.public_id])
    collection = MappingCollection.objects.get(key="customer")
    data = {"collection": collection.pk, "direction": FROM, "sync_type": "add", "collision_handling": "skip"}

    response = client_for(alice).post(url, data | {field: "not is_empty(Emial)"})

    assert response.status_code == 400
    assert "unknown field Emial: did you mean Email?" in page(response)
    assert CUSTOMER_FIELDS in page(response)
    assert not TemplateMapping.objects.exists()


def test_the_demos_from_ipaas_mappings_read_only_their_collections_fields():
    for _name, key, direction, mapping_filter, _notes, rows, _tests in demo_certified.MAPPINGS:
        record = mapping_checks.source_record(MappingCollection.objects.get(key=key), direction)
        tables = set(demo_certified.TABLES)
        assert mapping_checks.formula_problems(mapping_filter, tables, record) == ""
        for row in rows:
            if row.source:
                assert mapping_checks.source_problem(row.source, record) == ""
            assert mapping_checks.formula_problems(row.formula, tables, record) == ""


# --- To iPaaS: the third party's record ----------------------------------------------------


def test_a_to_ipaas_formula_and_source_may_name_any_field(alice, to_ipaas):
    assert (
        add_row_post(alice, to_ipaas, target="Id", kind="formula", formula='"WEB" + to_text(entity_id)').status_code
        == 302
    )
    assert add_row_post(alice, to_ipaas, target="Email", kind="field", source="customer_email").status_code == 302


def test_a_to_ipaas_row_whose_target_is_not_a_field_shows_a_note(alice, version):
    customer = make(version, alice, TO)
    address = make(version, alice, TO, key="customer-address", parent=customer)
    mapping_services.add_mapping_row(
        address, acting_user=alice, values=RowValues(target="City2", kind="field", source="city")
    )
    mapping_services.add_mapping_row(
        address, acting_user=alice, values=RowValues(target="City", kind="field", source="c")
    )

    html = page(client_for(alice).get(reverse("mapping_collection_detail", args=mapping_args(address))))

    assert "City2 is not a field of Customer Address (did you mean City?)." in html
    assert html.count("is not a field of Customer Address") == 1


def test_a_saved_row_shows_its_target_note_in_place(alice, to_ipaas):
    row = mapping_services.add_mapping_row(
        to_ipaas, acting_user=alice, values=RowValues(target="Email", kind="field", source="email")
    )
    url = reverse("mapping_row_update", args=[*mapping_args(to_ipaas), row.public_id])
    data = {"target": "Emial", "kind": "field", "source": "email", "revision": 1}

    response = client_for(alice).post(
        url, {f"row-{row.public_id}-{key}": value for key, value in data.items()}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Emial is not a field of Customer (did you mean Email?)." in page(response)


def test_a_from_ipaas_rows_target_is_the_third_partys_and_has_no_note(alice, from_ipaas):
    mapping_services.add_mapping_row(
        from_ipaas, acting_user=alice, values=RowValues(target="email", kind="field", source="Email")
    )
    html = page(client_for(alice).get(reverse("mapping_collection_detail", args=mapping_args(from_ipaas))))
    assert "is not a field of" not in html
