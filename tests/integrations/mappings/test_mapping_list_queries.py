"""The template mapping list and the translation table list answer in a number of queries that
does not grow with the mappings, rows and tables they show."""

import pytest
from django.urls import reverse

from integrations.mappings import services as mapping_services
from integrations.mappings import tables as table_services
from integrations.mappings.services import RowValues
from tests.conftest import client_for
from tests.factories import template_mapping

pytestmark = pytest.mark.django_db


def add_mapping_with_table(version, user, n: int) -> None:
    table = table_services.save_translation_table(
        version.integration, acting_user=user, table=None, name=f"Table {n}", rows=[("a", "b"), ("c", "d")]
    )
    mapping = template_mapping(version, user, f"Magento Customer ADD TO IPAAS {n}")
    for values in (
        RowValues("Email", "field", source="email"),
        RowValues("Category", "translation", source="group", table=table),
    ):
        mapping_services.add_mapping_row(mapping, acting_user=user, values=values)


@pytest.mark.parametrize("url_name", ["mapping_collection_list", "translation_table_list"])
def test_the_list_answers_in_constant_queries(alice, version, url_name, django_assert_max_num_queries):
    args = (
        [version.integration.slug, version.public_id]
        if url_name == "mapping_collection_list"
        else [version.integration.slug]
    )
    url = reverse(url_name, args=args)
    client = client_for(alice)
    add_mapping_with_table(version, alice, 1)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for n in range(2, 8):
        add_mapping_with_table(version, alice, n)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)

    assert page.status_code == 200
    assert (
        "Magento Customer ADD TO IPAAS 7" if url_name == "mapping_collection_list" else "Table 7"
    ) in page.content.decode()
