from django.urls import reverse
from kombu.exceptions import OperationalError

from integrations import tasks
from integrations.datamodel import services as datamodel_services
from integrations.mappings import services as mapping_services
from integrations.models import DataModelField, ForeignDataObject, MappingCollection, ObjectState, WebhookScope
from integrations.tiers import engine as tiers
from portal.models import AuditEvent
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping

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


def _admin_post_for(collection: MappingCollection, **changes) -> dict:
    """The admin change form of a collection as it stands, with some of its fields' values changed."""
    fields = list(collection.fields.order_by("position", "pk"))
    data = {
        "name": collection.name,
        "key": collection.key,
        "parent": collection.parent_id or "",
        "description": collection.description,
        "position": collection.position,
        "fields-TOTAL_FORMS": len(fields),
        "fields-INITIAL_FORMS": len(fields),
        "fields-MIN_NUM_FORMS": 0,
        "fields-MAX_NUM_FORMS": 1000,
    }
    for i, field in enumerate(fields):
        values = {"id": field.pk, "collection": collection.pk, "position": field.position, "name": field.name}
        values |= {"type": field.type, "description": field.description}
        if changes.get(field.name, field.required):
            values["required"] = "on"
        data |= {f"fields-{i}-{key}": value for key, value in values.items()}
    return data


def test_a_field_made_required_in_the_admin_recomputes_the_tiers_of_the_integrations_using_it(
    sam, northwind, alice, monkeypatch, django_capture_on_commit_callbacks
):
    customer = MappingCollection.objects.get(key="customer")
    user = IntegrationFactory(owner=northwind, name="Uses customers")
    bystander = IntegrationFactory(owner=northwind, name="Uses products")
    template_mapping(IntegrationVersionFactory(integration=user, number="1.0.0"), alice, "App Customer ADD TO IPAAS")
    recomputed = []
    monkeypatch.setattr(tiers, "recompute", lambda integration, cause: recomputed.append((integration.name, cause)))

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post(
            reverse("admin:integrations_mappingcollection_change", args=[customer.pk]),
            _admin_post_for(customer, Phone=True),
        )

    assert response.status_code == 302, response.context and response.context["errors"]
    assert DataModelField.objects.get(collection=customer, name="Phone").required
    assert recomputed == [("Uses customers", "the common data model's Customer changed")]
    assert bystander.name not in {name for name, _ in recomputed}
    assert AuditEvent.objects.get(kind="data_model.changed", actor=sam).target == customer


def test_with_the_broker_away_a_data_model_change_recomputes_the_tiers_in_the_request(
    sam, northwind, alice, monkeypatch, django_capture_on_commit_callbacks
):
    customer = MappingCollection.objects.get(key="customer")
    user = IntegrationFactory(owner=northwind, name="Uses customers")
    template_mapping(IntegrationVersionFactory(integration=user, number="1.0.0"), alice, "App Customer ADD TO IPAAS")
    recomputed = []
    monkeypatch.setattr(tiers, "recompute", lambda integration, cause: recomputed.append(integration.name))

    def broker_away(*args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.recompute_tiers_for_collection, "delay", broker_away)

    with django_capture_on_commit_callbacks(execute=True):
        datamodel_services.data_model_changed(customer, acting_user=sam)

    assert recomputed == ["Uses customers"]


def test_integrations_using_a_collection_are_found_through_object_links_and_scope_links(northwind, alice):
    customer = MappingCollection.objects.get(key="customer")
    by_object, by_scope, other = (IntegrationFactory(owner=northwind, name=name) for name in ("A", "B", "C"))
    obj = ForeignDataObject.objects.create(integration=by_object, key="c", name="Customers", state=ObjectState.ACCEPTED)
    mapping_services.link_foreign_object(
        obj, acting_user=alice, collection=customer, to_ipaas_methods=["GET"], from_ipaas_methods=[]
    )
    scope = WebhookScope.objects.create(integration=by_scope, name="customer/created")
    mapping_services.link_scope(scope, acting_user=alice, collection=customer, direction="to_ipaas")

    assert list(datamodel_services.integrations_using(customer)) == [by_object, by_scope]
    assert datamodel_services.recompute_for_collection(customer.pk) == 2
    assert other not in datamodel_services.integrations_using(customer)
