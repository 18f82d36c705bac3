"""The editor's field picker: targets and sources offered from the collection's fields (To iPaaS
targets, From iPaaS sources) and from the OpenAPI definitions of the data objects linked to the
collection (the third party's side), each with its type and whether it is required; a path typed
by hand is still accepted; the page's queries do not grow with the objects or the rows."""

import re

import pytest
from django.urls import reverse

from integrations.mappings import services as mapping_services
from integrations.mappings.fields import third_party_picker
from integrations.mappings.services import RowValues
from integrations.models import ForeignDataObject, MappingCollection, ObjectState
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping

pytestmark = pytest.mark.django_db

CUSTOMER_SCHEMAS = [
    {
        "name": "Customer",
        "location": "definitions/Customer",
        "fields": [
            {"name": "email", "type": "string (email)", "required": True},
            {"name": "firstname", "type": "string", "required": False},
            {"name": "billing", "type": "Address", "required": True},
            {"name": "addresses", "type": "array of Address", "required": False},
        ],
    },
    {
        "name": "Address",
        "location": "definitions/Address",
        "nested": True,
        "fields": [
            {"name": "city", "type": "string", "required": True},
            {"name": "zip", "type": "string", "required": False},
        ],
    },
]


@pytest.fixture
def integration(northwind):
    return IntegrationFactory(owner=northwind, name="Magento by Northwind", slug="magento-by-northwind")


@pytest.fixture
def version(integration):
    return IntegrationVersionFactory(integration=integration, number="1.0.0")


def linked_object(
    integration, user, *, name="Customers", key="customers", schemas=CUSTOMER_SCHEMAS, to=("GET",), back=()
):
    obj = ForeignDataObject.objects.create(
        integration=integration, key=key, name=name, state=ObjectState.ACCEPTED, schemas=schemas
    )
    mapping_services.link_foreign_object(
        obj,
        acting_user=user,
        collection=MappingCollection.objects.get(key="customer"),
        to_ipaas_methods=list(to),
        from_ipaas_methods=list(back),
    )
    return obj


def editor(user, mapping) -> str:
    args = [mapping.version.integration.slug, mapping.version.public_id, mapping.public_id]
    response = client_for(user).get(reverse("mapping_collection_detail", args=args))
    assert response.status_code == 200
    return response.content.decode()


def options(page: str, list_id: str) -> dict[str, str]:
    datalist = re.search(rf'<datalist id="{list_id}">(.*?)</datalist>', page, re.S).group(1)
    return dict(re.findall(r'<option value="([^"]*)" label="([^"]*)">', datalist))


def test_to_ipaas_targets_are_the_collections_fields_with_type_and_required_mark(alice, version):
    page = editor(alice, template_mapping(version, alice, "Magento Customer ADD TO IPAAS"))
    targets = options(page, "mapping-target-fields")
    assert targets["Email"] == "Email address · required"
    assert targets["Phone"] == "Text"
    assert targets["IsActive"] == "True or false"
    assert len(targets) == 10
    assert 'list="mapping-target-fields"' in page and 'list="mapping-source-fields"' in page


def test_to_ipaas_sources_come_from_the_linked_objects_openapi_definitions(alice, integration, version):
    linked_object(integration, alice)
    page = editor(alice, template_mapping(version, alice, "Magento Customer ADD TO IPAAS"))
    sources = options(page, "mapping-source-fields")
    assert sources == {
        "email": "string (email) · required",
        "firstname": "string",
        "billing": "Address · required",
        "billing.city": "string · required",
        "billing.zip": "string",
        "addresses": "array of Address",
    }
    assert "Sources offered: the OpenAPI definitions of Customers" in page


def test_from_ipaas_the_sides_swap(alice, integration, version):
    linked_object(integration, alice, to=(), back=("POST",))
    page = editor(alice, template_mapping(version, alice, "Magento Customer ADD FROM IPAAS", direction="from_ipaas"))
    assert options(page, "mapping-target-fields")["billing.city"] == "string · required"
    assert options(page, "mapping-source-fields")["Email"] == "Email address · required"


def test_without_definitions_the_third_partys_side_offers_nothing_and_says_to_type_the_path(
    alice, integration, version
):
    linked_object(integration, alice, schemas=[])
    page = editor(alice, template_mapping(version, alice, "Magento Customer ADD TO IPAAS"))
    assert options(page, "mapping-source-fields") == {}
    assert "Sources offered: none known (no OpenAPI definitions of a linked data object): type the path." in page


def test_objects_that_support_the_mappings_direction_are_preferred(alice, integration, version):
    linked_object(integration, alice, name="Customers", key="c", to=("GET",))
    other = [{"name": "Ledger", "location": "x", "fields": [{"name": "balance", "type": "number", "required": False}]}]
    linked_object(integration, alice, name="Ledger", key="l", schemas=other, to=(), back=("POST",))
    mapping = template_mapping(version, alice, "Magento Customer ADD TO IPAAS")
    picker = third_party_picker(mapping)
    assert "balance" not in {choice.path for choice in picker.choices}
    assert picker.origin == "the OpenAPI definitions of Customers"


def test_a_saved_rows_target_shows_its_type_and_a_hand_typed_path_is_still_accepted(alice, version):
    mapping = template_mapping(version, alice, "Magento Customer ADD TO IPAAS")
    args = [mapping.version.integration.slug, mapping.version.public_id, mapping.public_id]
    url = reverse("mapping_row_create", args=args)
    data = {"new-target": "Email", "new-kind": "field", "new-source": "contact.primary_email"}
    assert client_for(alice).post(url, data).status_code == 302
    page = editor(alice, mapping)
    assert '<code>Email</code> <small class="field-type">Email address · required</small>' in page
    assert "<code>contact.primary_email</code>" in page


def test_the_editor_answers_in_constant_queries_whatever_the_linked_objects(
    alice, integration, version, django_assert_max_num_queries
):
    linked_object(integration, alice)
    mapping = template_mapping(version, alice, "Magento Customer ADD TO IPAAS")
    mapping_services.add_mapping_row(
        mapping, acting_user=alice, values=RowValues(target="Email", kind="field", source="email")
    )
    client = client_for(alice)
    args = [mapping.version.integration.slug, mapping.version.public_id, mapping.public_id]
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("mapping_collection_detail", args=args))
    for n in range(8):
        linked_object(integration, alice, name=f"Customers {n}", key=f"c{n}")
        mapping_services.add_mapping_row(
            mapping, acting_user=alice, values=RowValues(target=f"Extra{n}", kind="static", value="x")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("mapping_collection_detail", args=args)).status_code == 200


def test_a_row_saved_in_place_keeps_its_type_in_the_header(alice, version):
    mapping = template_mapping(version, alice, "Magento Customer ADD TO IPAAS")
    row = mapping_services.add_mapping_row(
        mapping, acting_user=alice, values=RowValues(target="Phone", kind="field", source="phone")
    )
    args = [mapping.version.integration.slug, mapping.version.public_id, mapping.public_id, row.public_id]
    prefix = f"row-{row.public_id}"
    data = {f"{prefix}-target": "Phone", f"{prefix}-kind": "field", f"{prefix}-source": "tel", f"{prefix}-revision": 1}
    response = client_for(alice).post(reverse("mapping_row_update", args=args), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert '<code>Phone</code> <small class="field-type">Text</small>' in response.content.decode()
