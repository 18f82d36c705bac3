"""An object's card on the OpenAPI page names its first schemas and links to the object's own page,
where every schema it exchanges is listed a page at a time."""

import pytest
from django.urls import reverse

from integrations.openapi import views as openapi_views


def _many_schemas_object(integration, count: int):
    schemas = [
        {"name": f"Schema{n:03}", "location": f"#/components/schemas/Schema{n:03}", "nested": False, "fields": []}
        for n in range(count)
    ]
    paths = [{"path": "/customers", "methods": ["GET"]}]
    return integration.foreign_objects.create(key="customers", name="Customers", paths=paths, schemas=schemas)


def test_an_objects_card_names_its_first_five_schemas_and_links_to_all_of_them(alice_client, integration):
    obj = _many_schemas_object(integration, 12)

    page = alice_client.get(reverse("integration_openapi", args=[integration.slug])).content.decode()

    assert "Schema004</h4>" in page and "Schema005" not in page
    url = reverse("foreign_object_paths", args=[integration.slug, obj.public_id])
    assert f'<a href="{url}#schemas-heading">All 12 schemas of Customers</a>' in page


def test_an_object_with_few_schemas_names_them_all_without_a_link(alice_client, integration):
    _many_schemas_object(integration, 5)

    page = alice_client.get(reverse("integration_openapi", args=[integration.slug])).content.decode()

    assert "Schema004</h4>" in page and "schemas of Customers" not in page


def test_the_objects_page_lists_its_schemas_a_page_at_a_time_at_constant_queries(
    alice_client, integration, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(openapi_views, "SCHEMAS_PER_PAGE", 10)
    obj = _many_schemas_object(integration, 25)
    url = reverse("foreign_object_paths", args=[integration.slug, obj.public_id])

    with django_assert_max_num_queries(12) as first:
        page = alice_client.get(url).content.decode()
    with django_assert_max_num_queries(len(first.captured_queries)):
        last = alice_client.get(url, {"schemas_page": 3}).content.decode()

    assert "Schemas it exchanges (25)" in page
    assert "Schema009</h3>" in page and "Schema010" not in page
    assert 'aria-label="Schemas"' in page and "schemas_page=2" in page
    assert "Schema020</h3>" in last and "Schema019" not in last
    assert "<code>/customers</code>" in last  # the paths stay listed


@pytest.mark.parametrize(("value", "shown"), [("abc", 1), ("0", 3), ("9999999", 3)])
def test_a_bad_schemas_page_answers_the_first_or_last_page(alice_client, integration, monkeypatch, value, shown):
    monkeypatch.setattr(openapi_views, "SCHEMAS_PER_PAGE", 10)
    obj = _many_schemas_object(integration, 25)

    response = alice_client.get(
        reverse("foreign_object_paths", args=[integration.slug, obj.public_id]), {"schemas_page": value}
    )

    assert response.status_code == 200
    assert f'<span aria-current="page">Page {shown} of 3</span>' in response.content.decode()
