"""The integrator's certification pages: the request form (with the failing rules when the
checklist does not pass), the request page (checks, history, withdraw, answer) in a constant
number of queries, and the state shown on the integration's workspace page."""

import pytest
from django.urls import reverse

from certification.models import CertificationRequest, RequestStatus
from certification.requests import services
from tests.certification import world
from tests.conftest import client_for
from tests.integrations import tier_world

pytestmark = pytest.mark.django_db


def create_url(version) -> str:
    return reverse("certification_request_create", args=[version.integration.slug, version.public_id])


def detail_url(request_) -> str:
    return reverse("certification_request_detail", args=[request_.version.integration.slug, request_.public_id])


def test_the_form_lists_the_failing_rules_and_sending_it_is_refused_with_them(northwind, alice):
    _, version = tier_world.ready_integration(northwind, alice)
    page = client_for(alice).get(create_url(version)).content.decode()
    assert "What to do first" in page and "Template mappings for every collection" in page
    response = client_for(alice).post(create_url(version), {"message": "Please"})
    assert response.status_code == 200 and "does not pass yet" in response.content.decode()
    assert not CertificationRequest.objects.exists()


def test_a_member_sends_the_request_and_lands_on_its_page(certifiable, ivy):
    _, version = certifiable
    response = client_for(ivy).post(create_url(version), {"message": "Ready for review"})
    request_ = CertificationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(request_)
    assert request_.requested_by == ivy


def test_a_double_click_makes_one_request_and_no_error(certifiable, alice):
    _, version = certifiable
    client = client_for(alice)
    client.post(create_url(version), {"message": "Once"})
    response = client.post(create_url(version), {"message": "Twice"})
    assert response.status_code == 200 and "already has an open certification request" in response.content.decode()
    assert CertificationRequest.objects.count() == 1


def test_an_oversized_message_is_refused_with_a_message(certifiable, alice):
    _, version = certifiable
    response = client_for(alice).post(create_url(version), {"message": "x" * 4001})
    assert response.status_code == 200 and "at most 4000 characters" in response.content.decode()
    assert not CertificationRequest.objects.exists()


def test_the_request_page_shows_checks_and_history_in_constant_queries(
    certifiable, alice, northwind, sam, django_assert_max_num_queries
):
    _, version = certifiable
    request_ = world.run_checks(world.submit(version, alice, northwind))
    services.request_changes(request_, acting_user=sam, comment="Please document refunds.")
    client = client_for(alice)
    client.get(detail_url(request_))
    with django_assert_max_num_queries(14):
        page = client.get(detail_url(request_)).content.decode()
    assert "Please document refunds." in page and "Changes requested" in page
    assert "Mapping test “Ada”" in page and "Answer and send again" in page


def test_withdrawing_from_the_page(certifiable, alice, northwind):
    _, version = certifiable
    request_ = world.submit(version, alice, northwind)
    url = reverse("certification_request_withdraw", args=[version.integration.slug, request_.public_id])
    client_for(alice).post(url, {"comment": "Found a bug"})
    request_.refresh_from_db()
    assert request_.status == RequestStatus.WITHDRAWN
    assert request_.transitions.last().comment == "Found a bug"


def test_an_answer_without_a_comment_changes_nothing(certifiable, alice, northwind, sam):
    _, version = certifiable
    request_ = world.run_checks(world.submit(version, alice, northwind))
    services.request_changes(request_, acting_user=sam, comment="More.")
    url = reverse("certification_request_resubmit", args=[version.integration.slug, request_.public_id])
    response = client_for(alice).post(url, {"comment": ""}, follow=True)
    assert services.COMMENT_REQUIRED in response.content.decode()
    request_.refresh_from_db()
    assert request_.status == RequestStatus.CHANGES_REQUESTED


def test_another_organizations_request_is_not_found(certifiable, alice, northwind, bob):
    _, version = certifiable
    request_ = world.submit(version, alice, northwind)
    assert client_for(bob).get(detail_url(request_)).status_code == 404
    assert client_for(bob).post(create_url(version), {"message": "x"}).status_code == 404


def test_the_workspace_page_shows_the_certification_state_and_next_step(certifiable, alice, northwind):
    integration, version = certifiable
    page = client_for(alice).get(integration.get_absolute_url()).content.decode()
    assert "request certification</a> once the Certified checklist passes" in page
    world.submit(version, alice, northwind)
    page = client_for(alice).get(integration.get_absolute_url()).content.decode()
    assert "Red Rook reviews it; the version is read-only meanwhile." in page
    assert "is under certification review. Its template mappings and tests are read-only." in page


def test_a_certified_integration_has_one_public_page_on_the_marketplace_with_its_documentation(
    certifiable, alice, northwind, sam
):
    integration, version = certifiable
    url = reverse("listing_detail", args=[integration.slug])
    assert "Version 1.0.0, certified" not in client_for(None).get(url).content.decode()
    world.approve(world.submit(version, alice, northwind), sam)
    page = client_for(None).get(url).content.decode()
    for text in (
        "Keeps Magento customers and iPaaS.com in step.",
        "Customers both ways",
        "Supported workflows",
        "A customer signs up in Magento.",
        "Built by",
        'class="integrator-widget"',
        "Version 1.0.0, certified",
    ):
        assert text in page
    old = client_for(None).get(f"/certified/{integration.slug}/")
    assert (old.status_code, old["Location"]) == (301, url)


def test_a_new_version_is_started_from_the_page_with_a_copy_of_the_mappings(certifiable, alice):
    integration, version = certifiable
    url = reverse("integration_version_start", args=[integration.slug, version.public_id])
    assert 'value="1.1.0"' in client_for(alice).get(url).content.decode()
    response = client_for(alice).post(url, {"number": "1.1.0", "release_notes": "Refunds"})
    new = integration.versions.get(number="1.1.0")
    assert response.status_code == 302 and new.status == "draft" and new.release_notes == "Refunds"
    assert new.template_mappings.count() == version.template_mappings.count() == 2
    response = client_for(alice).post(url, {"number": "1.1.0"})
    assert response.status_code == 200 and "already has a version 1.1.0" in response.content.decode()
