"""The data model links page lists the accepted foreign data objects a page at a time (a large
document can have hundreds, each with its form), at a constant number of queries; saving a link
returns to the page that holds the object, and an imported object shows its first paths with a
link to all of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations.mappings.views import links
from integrations.models import ForeignDataObject, MappingCollection, ObjectState
from tests.conftest import client_for
from tests.factories import IntegrationFactory
from tests.integrations.mappings.test_mappings import link_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(northwind):
    return IntegrationFactory(owner=northwind, name="Magento by Northwind", slug="magento-by-northwind")


@pytest.fixture
def url(integration):
    return reverse("integration_collections", args=[integration.slug])


def _accepted(integration, first: int, count: int) -> list:
    return ForeignDataObject.objects.bulk_create(
        ForeignDataObject(
            integration=integration,
            key=f"object{n:03}",
            name=f"Object {n:03}",
            state=ObjectState.ACCEPTED,
            paths=[{"path": f"/object{n:03}", "methods": ["GET", "POST"]}],
        )
        for n in range(first, first + count)
    )


def test_the_accepted_objects_are_listed_a_page_at_a_time_at_constant_queries(
    alice, integration, url, django_assert_max_num_queries
):
    _accepted(integration, 0, 2)
    client = client_for(alice)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _accepted(integration, 2, links.OBJECTS_PER_PAGE + 3)
    ForeignDataObject.objects.create(integration=integration, key="proposed", name="Proposed one")

    with django_assert_max_num_queries(len(few)):
        first = client.get(url).content.decode()
    last = client.get(url, {"objects_page": 2}).content.decode()

    shown = links.OBJECTS_PER_PAGE
    assert "Object 000" in first and f"Object {shown - 1:03}" in first and f"Object {shown:03}" not in first
    assert f"Object {shown:03}" in last and f"Object {shown + 4:03}" in last and "Object 000" not in last
    assert "Proposed one" not in first + last
    assert f"{shown + 5} accepted objects, 1 to {shown} shown." in first
    assert 'aria-label="Foreign data objects"' in first and f'href="{url}?objects_page=2"' in first


@pytest.mark.parametrize(("value", "shown"), [("abc", 1), ("0", 2), ("9999999", 2)])
def test_a_bad_objects_page_answers_the_first_or_last_page(alice, integration, url, value, shown):
    _accepted(integration, 0, links.OBJECTS_PER_PAGE + 1)

    response = client_for(alice).get(url, {"objects_page": value})

    assert response.status_code == 200
    assert f'<span aria-current="page">Page {shown} of 2</span>' in response.content.decode()


def test_saving_a_link_returns_to_the_page_that_holds_the_object(alice, integration, url):
    objects = _accepted(integration, 0, links.OBJECTS_PER_PAGE + 5)
    obj = objects[links.OBJECTS_PER_PAGE + 2]
    customer = MappingCollection.objects.get(key="customer")

    response = client_for(alice).post(
        reverse("foreign_object_link", args=[integration.slug, obj.public_id]), link_data(obj, customer, ["GET"])
    )

    assert response["Location"] == f"{url}?objects_page=2#object-{obj.public_id}"
    assert f'id="object-{obj.public_id}"' in client_for(alice).get(response["Location"]).content.decode()


def test_a_refused_link_is_shown_on_the_page_of_its_object_whose_links_stay_on_the_links_page(alice, integration, url):
    objects = _accepted(integration, 0, links.OBJECTS_PER_PAGE + 5)
    obj = objects[links.OBJECTS_PER_PAGE + 2]
    customer = MappingCollection.objects.get(key="customer")

    response = client_for(alice).post(
        reverse("foreign_object_link", args=[integration.slug, obj.public_id]), link_data(obj, customer, ["DELETE"])
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "untick DELETE To iPaaS" in page and f'id="object-{obj.public_id}"' in page
    assert '<span aria-current="page">Page 2 of 2</span>' in page
    assert f'href="{url}?objects_page=1" rel="prev"' in page


def test_an_imported_object_shows_its_first_twenty_paths_and_links_to_all_of_them(alice, integration, url):
    paths = [{"path": f"/customers/{n:03}", "methods": ["GET"]} for n in range(45)]
    obj = ForeignDataObject.objects.create(
        integration=integration, key="customers", name="Customers", state=ObjectState.ACCEPTED, paths=paths
    )

    page = client_for(alice).get(url).content.decode()

    assert "/customers/019" in page and "/customers/020" not in page
    assert reverse("foreign_object_paths", args=[integration.slug, obj.public_id]) in page
    assert "All 45 paths of Customers" in page
