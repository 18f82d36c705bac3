"""The translation tables page lists the tables a page at a time, the new-table form on every page."""

import pytest
from django.urls import reverse

from integrations.mappings import tables as table_services
from integrations.mappings.views import tables as views
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def add_tables(integration, user, count, start=0):
    for n in range(start, start + count):
        table_services.save_translation_table(
            integration, acting_user=user, table=None, name=f"Table {n:02}", rows=[("a", "b")]
        )


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "TABLES_PER_PAGE", 4)


def test_the_tables_are_listed_a_page_at_a_time_in_fixed_queries(
    alice, integration, small_pages, django_assert_max_num_queries
):
    url = reverse("translation_table_list", args=[integration.slug])
    client = client_for(alice)
    add_tables(integration, alice, 2)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    add_tables(integration, alice, 8, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(url).content.decode()
    last = client.get(url, {"page": 3}).content.decode()
    assert "10 tables." in first and "Page 1 of 3" in first
    assert "Table 03" in first and "Table 04" not in first
    assert "Table 09" in last and "Table 07" not in last
    assert "New translation table" in last


def test_a_refused_table_shows_the_page_it_was_posted_from(alice, integration, small_pages):
    add_tables(integration, alice, 10)
    url = reverse("translation_table_list", args=[integration.slug])
    response = client_for(alice).post(f"{url}?page=2", {"name": "", "entries": "a,b"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Table 04" in page and "Page 2 of 3" in page


@pytest.mark.parametrize("bad", ["x", "-1", "0", "999", "1e9"])
def test_a_page_number_that_is_not_one_answers_a_page(alice, integration, small_pages, bad):
    add_tables(integration, alice, 5)
    url = reverse("translation_table_list", args=[integration.slug])
    assert client_for(alice).get(url, {"page": bad}).status_code == 200
