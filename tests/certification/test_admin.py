"""Staff review in the admin: the queue (open requests with failing checks first, an age column,
a constant number of queries), the request page with its checks, frozen mappings and history,
and decisions made through the actions."""

import pytest
from django.urls import reverse

from certification.models import CertificationRequest, RequestStatus
from certification.requests import services
from tests.certification import world
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def change_url(request_) -> str:
    return reverse("admin:certification_certificationrequest_change", args=[request_.pk])


@pytest.fixture
def waiting(certifiable, alice, northwind):
    return world.run_checks(world.submit(certifiable[1], alice, northwind))


def test_the_request_page_shows_the_checks_the_frozen_mappings_and_the_history(waiting, sam):
    page = client_for(sam).get(change_url(waiting)).content.decode()
    assert "Automated checks (round 1)" in page and "Mapping test “Ada”" in page
    assert "Magento Customer ADD TO IPAAS" in page
    assert "Please review." in page and 'value="approve"' in page


def test_staff_approve_in_the_admin_through_the_action(waiting, sam):
    response = client_for(sam).post(change_url(waiting), {"decision": "approve", "comment": ""}, follow=True)
    assert "is approved" in response.content.decode()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by) == (RequestStatus.APPROVED, sam)


def test_a_rejection_without_a_comment_is_refused_with_a_message(waiting, sam):
    response = client_for(sam).post(change_url(waiting), {"decision": "reject", "comment": " "}, follow=True)
    assert services.COMMENT_REQUIRED in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.SUBMITTED


def test_changes_are_requested_with_the_comment_the_integrator_reads(waiting, sam):
    client_for(sam).post(change_url(waiting), {"decision": "request_changes", "comment": "Add a refund test."})
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.CHANGES_REQUESTED
    assert waiting.transitions.last().comment == "Add a refund test."


def test_a_second_decision_on_a_decided_request_gets_a_clear_message(waiting, sam):
    client_for(sam).post(change_url(waiting), {"decision": "approve"})
    response = client_for(sam).post(change_url(waiting), {"decision": "reject", "comment": "No"}, follow=True)
    assert "already approved" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.APPROVED


def test_staff_of_the_requesting_organization_see_why_they_cannot_decide(waiting, sam, northwind):
    northwind.memberships.create(user=sam, role="member")
    page = client_for(sam).get(change_url(waiting)).content.decode()
    assert "another member of staff decides" in page and 'value="approve"' not in page
    client_for(sam).post(change_url(waiting), {"decision": "approve"})
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.SUBMITTED


def test_an_integrator_cannot_decide_through_the_admin(waiting, alice):
    response = client_for(alice).post(change_url(waiting), {"decision": "approve"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.SUBMITTED


def test_staff_without_two_factor_cannot_decide(waiting):
    staff = UserFactory(email="nofactor@redrook.example.com", is_staff=True, is_superuser=True)
    client_for(staff).post(change_url(waiting), {"decision": "approve"})
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.SUBMITTED


def test_the_queue_lists_failing_checks_first_with_their_age(certifiable, alice, northwind, sam, bob, bluebird):
    _, version = certifiable
    passing = world.run_checks(world.submit(version, alice, northwind))
    failing = CertificationRequest.objects.create(
        version=version.integration.versions.create(number="0.9.0"),
        organization=northwind,
        checks_status="done",
        checks_total=3,
        checks_failed=2,
    )
    page = client_for(sam).get(reverse("admin:certification_certificationrequest_changelist"))
    listed = list(page.context["cl"].result_list)
    assert listed[:2] == [failing, passing]
    assert "2 failed of 3" in page.content.decode() and "age" in page.content.decode().lower()


def test_the_queue_costs_the_same_queries_with_more_requests(
    certifiable, alice, northwind, sam, django_assert_max_num_queries
):
    _, version = certifiable
    world.submit(version, alice, northwind)
    url = reverse("admin:certification_certificationrequest_changelist")
    client = client_for(sam)
    client.get(url)
    for number in range(5):
        CertificationRequest.objects.create(
            version=version.integration.versions.create(number=f"0.{number}.1"), organization=northwind
        )
    with django_assert_max_num_queries(20):
        client.get(url)
