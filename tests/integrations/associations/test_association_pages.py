"""The owner's associations page lists the requests waiting, the integrators associated and the
earlier requests each a page at a time, with its own page parameter, in fixed queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.associations import views
from integrations.models import Association, AssociationStatus
from tests.conftest import client_for
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "ASSOCIATIONS_PER_PAGE", 3)


def associations(integration, status, count, start=0):
    """`count` associations in `status`, the later numbered the newer."""
    base = timezone.now() - datetime.timedelta(days=100)
    for n in range(start, start + count):
        organization = OrganizationFactory(name=f"{status.value.title()} {n:02}")
        Association.objects.create(
            integration=integration,
            organization=organization,
            status=status,
            created_at=base + datetime.timedelta(hours=n),
        )


def crowd(integration, count, start=0):
    for status in (AssociationStatus.PENDING, AssociationStatus.ACCEPTED, AssociationStatus.DECLINED):
        associations(integration, status, count, start)


def test_each_list_is_shown_a_page_at_a_time(integration, alice, small_pages):
    crowd(integration, 7)
    url = reverse("integration_associations", args=[integration.slug])
    client = client_for(alice)
    first = client.get(url).content.decode()
    assert "Requests waiting for you (7)" in first and "Earlier requests (7)" in first
    assert "Pending 06" in first and "Pending 04" in first and "Pending 03" not in first  # newest first
    assert "Accepted 00" in first and "Accepted 02" in first and "Accepted 03" not in first  # by name
    assert "Declined 06" in first and "Declined 03" not in first
    assert first.count("Page 1 of 3") == 3
    later = client.get(url, {"pending_page": 3, "integrators_page": 2, "past_page": 3}).content.decode()
    assert "Pending 00" in later and "Pending 01" not in later
    assert "Accepted 03" in later and "Accepted 05" in later and "Accepted 02" not in later
    assert "Declined 00" in later and "Declined 01" not in later
    # The end buttons are the ones of the integrators on the page shown.
    ended = Association.objects.get(organization__name="Accepted 04")
    assert reverse("association_decide", args=[integration.slug, ended.public_id]) in later


def test_the_page_costs_the_same_queries_whatever_the_number_of_requests(
    integration, alice, small_pages, django_assert_max_num_queries
):
    url = reverse("integration_associations", args=[integration.slug])
    client = client_for(alice)
    crowd(integration, 4)
    with django_assert_max_num_queries(40) as few:
        client.get(url, {"pending_page": 2, "integrators_page": 2, "past_page": 2})
    crowd(integration, 10, start=4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"pending_page": 2, "integrators_page": 2, "past_page": 2})


@pytest.mark.parametrize("bad", ["x", "-1", "0", "999", "1e9"])
def test_a_page_number_that_is_not_one_answers_a_page(integration, alice, small_pages, bad):
    crowd(integration, 4)
    url = reverse("integration_associations", args=[integration.slug])
    params = {"pending_page": bad, "integrators_page": bad, "past_page": bad}
    assert client_for(alice).get(url, params).status_code == 200


def test_a_decision_answers_the_pages_it_was_taken_from(integration, alice, small_pages):
    crowd(integration, 7)
    url = reverse("integration_associations", args=[integration.slug])
    client = client_for(alice)
    page = client.get(url, {"pending_page": 2, "integrators_page": 3, "past_page": 2}).content.decode()
    assert '<input type="hidden" name="pending_page" value="2">' in page
    assert '<input type="hidden" name="integrators_page" value="3">' in page
    waiting = Association.objects.get(organization__name="Pending 03")
    decide = reverse("association_decide", args=[integration.slug, waiting.public_id])
    data = {"decision": "accept", "pending_page": "2", "integrators_page": "3", "past_page": "x"}
    response = client.post(decide, data)
    assert response["Location"] == f"{url}?pending_page=2&integrators_page=3"
    waiting.refresh_from_db()
    assert waiting.status == AssociationStatus.ACCEPTED
