"""The demo: BigCommerce by Northwind certified by Red Rook staff, and a new version's request
waiting in the staff queue with the automation's reason; loading the demo again changes nothing."""

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


def test_loading_the_certification_demo_twice_changes_nothing():
    call_command("load_demo_data", stdout=io.StringIO())
    first = counts()
    call_command("load_demo_data", stdout=io.StringIO())
    assert counts() == first
