from django.urls import reverse

from integrations.models import DataModelField, MappingCollection
from tests.conftest import client_for

REQUIRED_COLLECTIONS = {
    "Customer",
    "Customer Address",
    "Customer Contact",
    "Company",
    "Product",
    "Product Variant",
    "Product Category",
    "Product Inventory",
    "Transaction",
    "Transaction Line",
    "Transaction Payment",
    "Transaction Shipment",
    "Gift Card",
    "Location",
    "Employee",
}


def test_the_common_data_model_ships_with_every_collection_and_its_fields(db):
    names = set(MappingCollection.objects.values_list("name", flat=True))
    assert REQUIRED_COLLECTIONS <= names
    for collection in MappingCollection.objects.filter(name__in=REQUIRED_COLLECTIONS):
        assert collection.fields.filter(required=True).exists(), collection.name


def test_child_collections_name_their_parent(db):
    children = dict(MappingCollection.objects.filter(parent__isnull=False).values_list("name", "parent__name"))
    assert children["Customer Address"] == "Customer"
    assert children["Product Variant"] == "Product"
    assert children["Transaction Line"] == "Transaction"
    assert children["Transaction Shipment"] == "Transaction"


def test_anyone_can_browse_the_data_model(db, django_assert_max_num_queries):
    client = client_for(None)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("data_model_index"))
    assert response.status_code == 200
    assert "Transaction Payment" in response.content.decode()


def test_a_collection_page_shows_fields_types_requirement_and_children(db, django_assert_max_num_queries):
    client = client_for(None)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("data_model_collection", args=["customer"]))
    content = response.content.decode()
    assert "Email" in content and "Email address" in content and "Required" in content
    assert "Customer Address" in content


def test_an_unknown_collection_is_404(db):
    assert client_for(None).get(reverse("data_model_collection", args=["spaceship"])).status_code == 404


def test_staff_edit_the_data_model_in_the_admin(sam):
    customer = MappingCollection.objects.get(key="customer")
    client = client_for(sam)
    assert client.get(reverse("admin:integrations_mappingcollection_change", args=[customer.pk])).status_code == 200
    response = client.get(reverse("admin:integrations_mappingcollection_changelist"), {"q": "Variant"})
    assert "Product Variant" in response.content.decode()
    assert DataModelField.objects.filter(collection=customer, name="Email", required=True).exists()
