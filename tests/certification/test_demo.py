"""The demo: BigCommerce by Northwind certified by Red Rook staff, and a new version's request
waiting in the staff queue with the automation's reason; NetSuite by Bluebird certified by staff
and only Certified; loading the demo again changes nothing."""

import io

import pytest
from django.core.management import call_command

from certification.models import CertificationRequest, CheckResult, RequestStatus, RequestTransition
from integrations.models import Integration, Tier

pytestmark = pytest.mark.django_db


def counts() -> list[int]:
    return [model.objects.count() for model in (CertificationRequest, CheckResult, RequestTransition)]


def test_the_demo_has_one_certified_integration_and_one_request_waiting_for_staff():
    call_command("load_demo_data", stdout=io.StringIO())
    integration = Integration.objects.get(slug="bigcommerce-by-northwind")
    # Certified by staff; the workflow templates demo then makes the same version One-Click.
    assert integration.tier == Tier.ONE_CLICK
    assert integration.versions.get(number="1.0.0").tier == Tier.ONE_CLICK
    assert integration.versions.get(number="1.0.0").certification_requests.filter(status=RequestStatus.APPROVED)
    waiting = CertificationRequest.objects.get(status=RequestStatus.SUBMITTED)
    assert waiting.version.number == "1.1.0" and waiting.checks_status == "done" and waiting.checks_failed == 0
    assert "store/customer/updated is no longer declared" in waiting.queue_reason


def test_the_demo_has_one_integration_certified_only_one_one_click_and_one_request_waiting():
    call_command("load_demo_data", stdout=io.StringIO())
    tiers = dict(Integration.objects.filter(tier__gte=Tier.CERTIFIED).values_list("slug", "tier"))
    assert tiers == {"bigcommerce-by-northwind": Tier.ONE_CLICK, "netsuite-by-bluebird": Tier.CERTIFIED}
    assert CertificationRequest.objects.filter(status=RequestStatus.SUBMITTED).count() == 1


def test_netsuite_by_bluebird_is_certified_by_staff_after_its_checks_really_ran():
    call_command("load_demo_data", stdout=io.StringIO())
    [request_] = CertificationRequest.objects.filter(version__integration__slug="netsuite-by-bluebird")
    assert request_.status == RequestStatus.APPROVED and not request_.decided_by_automation
    assert request_.decided_by.email == "sam@redrook.example.com"
    assert request_.requested_by.email == "bob@bluebird.example.com"
    assert (request_.checks_status, request_.checks_failed) == ("done", 0)
    assert request_.check_results.filter(kind="test").exists()
    assert request_.declarations["scopes"][0]["name"] == "customer/created"


def test_loading_the_certification_demo_twice_changes_nothing():
    call_command("load_demo_data", stdout=io.StringIO())
    first = counts()
    call_command("load_demo_data", stdout=io.StringIO())
    assert counts() == first
