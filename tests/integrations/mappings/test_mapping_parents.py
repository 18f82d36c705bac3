"""A template mapping's parent: the mapping of its collection's parent collection, in the same
version and direction; a top-level collection's mapping has none. Checked by the form (next to
the field, naming what is expected) and again by the actions; clones keep a parent only where it
still fits."""

import pytest
from django.urls import reverse

from integrations.mappings import services as mapping_services
from integrations.mappings.checks import ParentRefused
from integrations.models import Direction, MappingCollection, TemplateMapping
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory

pytestmark = pytest.mark.django_db

TO, FROM = Direction.TO_IPAAS, Direction.FROM_IPAAS


@pytest.fixture
def version(northwind):
    integration = IntegrationFactory(
        owner=northwind,
        name="BigCommerce by Northwind",
        slug="bigcommerce-by-northwind",
        application__name="BigCommerce",
    )
    return IntegrationVersionFactory(integration=integration, number="1.0.0")


def collection(key: str) -> MappingCollection:
    return MappingCollection.objects.get(key=key)


def make(version, user, key, direction, parent=None, name=None) -> TemplateMapping:
    coll = collection(key)
    return mapping_services.create_template_mapping(
        version,
        acting_user=user,
        name=name or mapping_services.propose_mapping_name("BigCommerce", coll, "add", direction),
        collection=coll,
        parent=parent,
        direction=direction,
        sync_type="add",
        collision_handling="skip",
        mapping_filter="",
        error_filter="",
        notes="",
    )


def values_of(mapping, **changes) -> dict:
    values = {key: getattr(mapping, key) for key in mapping_services.MAPPING_FIELDS}
    return values | changes


def create_url(version) -> str:
    return reverse("mapping_collection_create", args=[version.integration.slug, version.public_id])


def edit_url(mapping) -> str:
    version = mapping.version
    return reverse("mapping_collection_edit", args=[version.integration.slug, version.public_id, mapping.public_id])


def post_data(key, direction, parent=None) -> dict:
    data = {"collection": collection(key).pk, "direction": direction, "sync_type": "add", "collision_handling": "skip"}
    return data | ({"parent": parent.pk} if parent is not None else {})


@pytest.fixture
def customer_to(version, alice):
    return make(version, alice, "customer", TO)


@pytest.fixture
def product_from(version, alice):
    return make(version, alice, "product", FROM)


# --- The form ------------------------------------------------------------------------------


def test_a_child_mapping_with_another_collections_mapping_as_parent_is_refused_naming_the_expected_parent(
    alice, version, customer_to, product_from
):
    response = client_for(alice).post(create_url(version), post_data("customer-address", TO, parent=product_from))

    assert response.status_code == 400
    assert "A Customer Address mapping&#x27;s parent must be a Customer mapping To iPaaS." in response.content.decode()
    assert not TemplateMapping.objects.filter(collection__key="customer-address").exists()


def test_a_child_mapping_with_its_parent_collections_mapping_of_the_other_direction_is_refused(alice, version):
    customer_from = make(version, alice, "customer", FROM)

    response = client_for(alice).post(create_url(version), post_data("customer-address", TO, parent=customer_from))

    assert response.status_code == 400
    assert "must be a Customer mapping To iPaaS." in response.content.decode()


def test_a_top_level_collections_mapping_cannot_have_a_parent(alice, version, customer_to, product_from):
    response = client_for(alice).post(create_url(version), post_data("product", FROM, parent=product_from))

    assert response.status_code == 400
    assert "Product is not a child collection: its template mapping has no parent." in response.content.decode()


def test_a_child_mapping_is_saved_with_its_parent_collections_mapping_of_the_same_direction(
    alice, version, customer_to
):
    response = client_for(alice).post(create_url(version), post_data("customer-address", TO, parent=customer_to))

    assert response.status_code == 302
    child = TemplateMapping.objects.get(collection__key="customer-address")
    assert (child.name, child.parent) == ("BigCommerce Customer Address ADD TO IPAAS", customer_to)


def test_the_parent_choices_are_the_mappings_of_collections_with_children(alice, version, customer_to):
    company = make(version, alice, "company", TO)
    address = make(version, alice, "customer-address", TO, parent=customer_to)

    choices = client_for(alice).get(edit_url(address)).context["form"].fields["parent"].queryset

    assert list(choices) == [customer_to]
    assert company not in choices and address not in choices


def test_editing_a_mapping_with_a_parent_that_no_longer_fits_names_the_problem(alice, version, customer_to):
    address = make(version, alice, "customer-address", TO, parent=customer_to)
    TemplateMapping.objects.filter(pk=customer_to.pk).update(direction=FROM, name="BigCommerce Customer ADD FROM IPAAS")
    address.refresh_from_db()
    data = post_data("customer-address", TO, parent=customer_to) | {"name": address.name, "revision": 1}

    response = client_for(alice).post(edit_url(address), data)

    assert response.status_code == 400
    assert "must be a Customer mapping To iPaaS." in response.content.decode()  # not "Select a valid choice"


def test_a_parents_collection_or_direction_cannot_change_while_children_name_it(alice, version, customer_to):
    make(version, alice, "customer-address", TO, parent=customer_to)
    data = post_data("customer", FROM) | {"revision": customer_to.revision}

    response = client_for(alice).post(edit_url(customer_to), data)

    assert response.status_code == 400
    assert "BigCommerce Customer Address ADD TO IPAAS names this mapping as parent" in response.content.decode()
    customer_to.refresh_from_db()
    assert customer_to.direction == TO


# --- The actions ---------------------------------------------------------------------------


def test_creating_a_mapping_with_a_wrong_parent_is_refused(alice, version, product_from):
    with pytest.raises(ParentRefused, match="must be a Customer mapping To iPaaS"):
        make(version, alice, "customer-address", TO, parent=product_from)
    assert not TemplateMapping.objects.filter(collection__key="customer-address").exists()


def test_a_mapping_of_another_version_cannot_be_the_parent(alice, version, customer_to):
    other = IntegrationVersionFactory(integration=version.integration, number="2.0.0")
    with pytest.raises(ParentRefused, match="must be a Customer mapping To iPaaS"):
        make(other, alice, "customer-address", TO, parent=customer_to)


def test_updating_a_mapping_with_a_wrong_parent_is_refused(alice, version, customer_to, product_from):
    address = make(version, alice, "customer-address", TO, parent=customer_to)
    with pytest.raises(ParentRefused, match="must be a Customer mapping To iPaaS"):
        mapping_services.update_template_mapping(
            address, acting_user=alice, expected_revision=1, **values_of(address, parent=product_from)
        )
    address.refresh_from_db()
    assert (address.parent, address.revision) == (customer_to, 1)


def test_a_parent_cannot_change_direction_while_children_name_it(alice, version, customer_to):
    make(version, alice, "customer-address", TO, parent=customer_to)
    changed = values_of(customer_to, direction=FROM, name="BigCommerce Customer ADD FROM IPAAS")
    with pytest.raises(ParentRefused, match="names this mapping as parent"):
        mapping_services.update_template_mapping(customer_to, acting_user=alice, expected_revision=1, **changed)


def test_a_mapping_cannot_be_its_own_parent(alice, version, customer_to):
    with pytest.raises(ParentRefused, match="cannot be its own parent"):
        mapping_services.update_template_mapping(
            customer_to, acting_user=alice, expected_revision=1, **values_of(customer_to, parent=customer_to)
        )


def test_a_mapping_cannot_be_its_own_ancestor_even_when_the_data_model_loops(alice, version):
    # Collections form a tree; staff could still edit two into a loop in the admin.
    first = MappingCollection.objects.create(key="loop-a", name="Loop A")
    second = MappingCollection.objects.create(key="loop-b", name="Loop B", parent=first)
    MappingCollection.objects.filter(pk=first.pk).update(parent=second)
    upper = make(version, alice, "loop-a", TO, name="BigCommerce Loop A ADD TO IPAAS")
    lower = make(version, alice, "loop-b", TO, parent=upper, name="BigCommerce Loop B ADD TO IPAAS")
    upper.refresh_from_db()

    with pytest.raises(ParentRefused, match="cannot be its own ancestor"):
        mapping_services.update_template_mapping(
            upper, acting_user=alice, expected_revision=1, **values_of(upper, parent=lower)
        )
    upper.refresh_from_db()
    assert upper.parent is None


# --- Clones --------------------------------------------------------------------------------


def test_a_clone_keeps_its_parent(alice, version, customer_to):
    address = make(version, alice, "customer-address", TO, parent=customer_to)
    clone = mapping_services.clone_template_mapping(address, acting_user=alice)
    assert (clone.direction, clone.parent) == (TO, customer_to)


def test_a_reverse_clone_of_a_child_mapping_starts_without_the_old_directions_parent_and_says_so(
    alice, version, customer_to
):
    make(version, alice, "customer", FROM)  # a parent of the new direction exists: still the person's choice
    address = make(version, alice, "customer-address", TO, parent=customer_to)

    clone = mapping_services.clone_template_mapping(address, acting_user=alice, reverse=True)

    assert (clone.direction, clone.parent) == (FROM, None)
    assert "Its parent BigCommerce Customer ADD TO IPAAS goes the other way: choose this mapping's parent." in (
        clone.notes
    )


def test_a_clone_drops_a_parent_that_did_not_fit(alice, version, customer_to):
    address = make(version, alice, "customer-address", TO, parent=customer_to)
    product_to = make(version, alice, "product", TO)
    TemplateMapping.objects.filter(pk=address.pk).update(parent=product_to)  # saved before the check existed
    address = TemplateMapping.objects.select_related("collection", "parent").get(pk=address.pk)

    clone = mapping_services.clone_template_mapping(address, acting_user=alice)

    assert clone.parent is None
