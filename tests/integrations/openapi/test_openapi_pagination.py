"""The OpenAPI page of a large document shows each of its lists a page at a time: the proposed
foreign data objects, the errors and the operations a re-import added or removed, each with its
own page parameter, at a constant number of queries; the page shows the newest uploads of the
document and links to every upload, listed a page at a time too."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integrations.models import ImportStatus, OpenAPIImport
from integrations.openapi import views as openapi_views
from tests.integrations.openapi.builders import as_yaml, ok, ref
from tests.integrations.openapi.test_openapi_import import shop


@pytest.fixture
def url(integration):
    return reverse("integration_openapi", args=[integration.slug])


def _names(integration):
    return list(integration.foreign_objects.order_by("name", "pk").values_list("name", flat=True))


def test_sixty_objects_are_shown_twenty_five_a_page_at_constant_queries(
    upload, alice_client, integration, url, django_assert_max_num_queries
):
    upload(as_yaml(shop(*[f"resource{n:02}" for n in range(60)])))
    names = _names(integration)
    assert len(names) == 60

    with django_assert_max_num_queries(9):
        first = alice_client.get(url).content.decode()
    with django_assert_max_num_queries(9):
        last = alice_client.get(url, {"objects_page": 3}).content.decode()

    assert f">{names[24]}</h3>" in first and f">{names[25]}</h3>" not in first
    assert f">{names[50]}</h3>" in last and f">{names[49]}</h3>" not in last
    assert 'aria-label="Foreign data objects"' in first
    assert '<span aria-current="page">Page 1 of 3</span>' in first
    assert "objects_page=2" in first and "60 objects, 1 to 25 shown" in first


@pytest.mark.parametrize(("value", "shown"), [("abc", 1), ("0", 3), ("9999999", 3), ("-1", 3), ("", 1)])
def test_a_bad_objects_page_answers_the_first_or_last_page(upload, alice_client, integration, url, value, shown):
    upload(as_yaml(shop(*[f"resource{n:02}" for n in range(60)])))

    response = alice_client.get(url, {"objects_page": value})

    assert response.status_code == 200
    assert f'<span aria-current="page">Page {shown} of 3</span>' in response.content.decode()


def test_the_errors_have_their_own_pages(upload, alice_client, integration, url, monkeypatch):
    monkeypatch.setattr(openapi_views, "ERRORS_PER_PAGE", 1)
    document = shop("customers")
    document["info"]["description"] = {"$ref": "README.md"}
    document["paths"]["/customers"]["get"]["responses"] = ok({"oneOf": [ref("Customer"), ref("Order")]})
    upload(as_yaml(document))

    page = alice_client.get(url, {"errors_page": 2, "objects_page": 1}).content.decode()

    assert 'aria-label="Errors"' in page
    assert '<span aria-current="page">Page 2 of' in page
    # The link to another page of errors keeps the page of objects.
    assert "objects_page=1" in page and "errors_page=1" in page


def test_the_operations_a_reimport_added_are_shown_a_page_at_a_time(
    upload, alice_client, integration, url, monkeypatch
):
    monkeypatch.setattr(openapi_views, "CHANGES_PER_PAGE", 2)
    upload(as_yaml(shop("customers")))
    upload(as_yaml(shop("customers", "orders", "products")))

    page = alice_client.get(url, {"added_page": 2}).content.decode()

    assert 'aria-label="Operations added"' in page
    assert '<span aria-current="page">Page 2 of 2</span>' in page
    assert "<details open><summary>Operations added (4)" in page


def test_an_action_without_htmx_returns_to_the_page_that_holds_the_object(upload, alice_client, integration, url):
    upload(as_yaml(shop(*[f"resource{n:02}" for n in range(60)])))
    obj = integration.foreign_objects.order_by("name", "pk")[30]
    update = reverse("foreign_object_update", args=[integration.slug, obj.public_id])

    response = alice_client.post(update, {"action": "accept"})

    assert response["Location"] == f"{url}?objects_page=2#object-{obj.public_id}"
    assert f'id="object-{obj.public_id}"' in alice_client.get(response["Location"]).content.decode()


def _many_paths_object(integration, count: int):
    paths = [{"path": f"/customers/{number:03}", "methods": ["GET"]} for number in range(count)]
    return integration.foreign_objects.create(key="customers", name="Customers", paths=paths)


def test_an_objects_card_shows_its_first_twenty_paths_and_links_to_all_of_them(alice_client, integration, url):
    obj = _many_paths_object(integration, 60)

    page = alice_client.get(url).content.decode()

    assert "<code>/customers/019</code>" in page and "<code>/customers/020</code>" not in page
    assert reverse("foreign_object_paths", args=[integration.slug, obj.public_id]) in page
    assert "All 60 paths of Customers" in page


def test_an_objects_paths_page_lists_them_a_page_at_a_time_at_constant_queries(
    alice_client, integration, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(openapi_views, "PATHS_PER_PAGE", 25)
    obj = _many_paths_object(integration, 60)
    paths_url = reverse("foreign_object_paths", args=[integration.slug, obj.public_id])

    with django_assert_max_num_queries(12) as first:
        page = alice_client.get(paths_url).content.decode()
    with django_assert_max_num_queries(len(first.captured_queries)):
        last = alice_client.get(paths_url, {"page": 3}).content.decode()

    assert "<code>/customers/024</code>" in page and "<code>/customers/025</code>" not in page
    assert 'aria-label="Paths"' in page and '<span aria-current="page">Page 1 of 3</span>' in page
    assert "<code>/customers/050</code>" in last and "<code>/customers/049</code>" not in last


@pytest.mark.parametrize(("value", "shown"), [("abc", 1), ("0", 3), ("9999999", 3)])
def test_a_bad_paths_page_answers_the_first_or_last_page(alice_client, integration, monkeypatch, value, shown):
    monkeypatch.setattr(openapi_views, "PATHS_PER_PAGE", 25)
    obj = _many_paths_object(integration, 60)
    paths_url = reverse("foreign_object_paths", args=[integration.slug, obj.public_id])

    response = alice_client.get(paths_url, {"page": value})

    assert response.status_code == 200
    assert f'<span aria-current="page">Page {shown} of 3</span>' in response.content.decode()


def test_an_object_declared_by_hand_has_no_paths_page_here(alice_client, integration):
    obj = integration.foreign_objects.create(key="notes", name="Notes", declared_by_hand=True)

    response = alice_client.get(reverse("foreign_object_paths", args=[integration.slug, obj.public_id]))

    assert response.status_code == 404


# --- The uploads of the document -----------------------------------------------------------------


def _uploads(integration, alice, count: int) -> list:
    """`count` uploads, the oldest first; every third was refused, the rest read (the newest read
    one is the current document)."""
    start = timezone.now() - timedelta(days=1)
    return OpenAPIImport.objects.bulk_create(
        OpenAPIImport(
            integration=integration,
            document=f"openapi/upload-{number:03}.yaml",
            filename=f"upload-{number:03}.yaml",
            size=1000 + number,
            sha256=f"{number:064}",
            status=ImportStatus.REFUSED if number % 3 == 0 else ImportStatus.DONE,
            refused_reason="Not YAML." if number % 3 == 0 else "",
            detected_version="2.0",
            uploaded_by=alice,
            created_at=start + timedelta(minutes=number),
        )
        for number in range(count)
    )


def test_the_openapi_page_shows_the_newest_uploads_and_links_to_all_of_them_with_their_count(
    alice_client, integration, alice, url
):
    _uploads(integration, alice, openapi_views.HISTORY_LENGTH + 7)

    page = alice_client.get(url).content.decode()

    newest, oldest_shown = openapi_views.HISTORY_LENGTH + 6, 7
    assert f"upload-{newest:03}.yaml" in page and f"upload-{oldest_shown:03}.yaml" in page
    assert f"upload-{oldest_shown - 1:03}.yaml" not in page
    assert reverse("integration_openapi_imports", args=[integration.slug]) in page
    assert f"All {openapi_views.HISTORY_LENGTH + 7} uploads of the document" in page


def test_the_openapi_page_has_no_link_to_all_uploads_when_it_shows_them_all(alice_client, integration, alice, url):
    _uploads(integration, alice, openapi_views.HISTORY_LENGTH)

    page = alice_client.get(url).content.decode()

    assert "upload-000.yaml" in page
    assert reverse("integration_openapi_imports", args=[integration.slug]) not in page


def test_the_openapi_pages_queries_do_not_grow_with_the_uploads(
    alice_client, integration, alice, url, django_assert_max_num_queries
):
    _uploads(integration, alice, 2)
    with CaptureQueriesContext(connection) as few:
        alice_client.get(url)
    _uploads(integration, alice, openapi_views.HISTORY_LENGTH * 3)

    # One more than with a few: the count of every upload, for the link to them all.
    with django_assert_max_num_queries(len(few) + 1):
        response = alice_client.get(url)

    assert response.status_code == 200


def test_the_uploads_page_lists_every_upload_a_page_at_a_time_at_constant_queries(
    alice_client, integration, alice, django_assert_max_num_queries
):
    count = openapi_views.HISTORY_PER_PAGE + 5
    _uploads(integration, alice, count)
    uploads_url = reverse("integration_openapi_imports", args=[integration.slug])

    with django_assert_max_num_queries(10) as first:
        page = alice_client.get(uploads_url).content.decode()
    with django_assert_max_num_queries(len(first.captured_queries)):
        last = alice_client.get(uploads_url, {"page": 2}).content.decode()

    # Newest first: the first page ends at the sixth upload, the second holds the five oldest.
    assert f"upload-{count - 1:03}.yaml" in page and "upload-005.yaml" in page and "upload-004.yaml" not in page
    assert "upload-004.yaml" in last and "upload-000.yaml" in last and "upload-005.yaml" not in last
    assert 'aria-label="Uploads"' in page and '<span aria-current="page">Page 1 of 2</span>' in page
    assert f"{count} uploads, newest first; 1 to {openapi_views.HISTORY_PER_PAGE} are listed" in page


def test_the_uploads_page_marks_the_current_document_and_says_why_one_was_refused(alice_client, integration, alice):
    _uploads(integration, alice, 4)  # 0 and 3 refused; 2 is the newest read
    page = alice_client.get(reverse("integration_openapi_imports", args=[integration.slug])).content.decode()

    rows = page.split("<tr>")[2:]  # after the head's row
    assert all(f"upload-00{n}.yaml" in row for n, row in zip((3, 2, 1, 0), rows, strict=True))
    assert "Current" in rows[1] and "Current" not in rows[0] + rows[2] + rows[3]
    assert "Refused<br><small>Not YAML.</small>" in rows[0]
    assert "Read: Swagger 2.0, 0 errors" in rows[1]


@pytest.mark.parametrize(("value", "shown"), [("abc", 1), ("0", 2), ("9999999", 2), ("-1", 2)])
def test_a_bad_uploads_page_answers_the_first_or_last_page(alice_client, integration, alice, value, shown):
    _uploads(integration, alice, openapi_views.HISTORY_PER_PAGE + 1)

    response = alice_client.get(reverse("integration_openapi_imports", args=[integration.slug]), {"page": value})

    assert response.status_code == 200
    assert f'<span aria-current="page">Page {shown} of 2</span>' in response.content.decode()


def test_the_uploads_page_of_an_integration_without_uploads_says_so(alice_client, integration):
    response = alice_client.get(reverse("integration_openapi_imports", args=[integration.slug]))

    assert response.status_code == 200
    assert "No document is uploaded yet." in response.content.decode()
