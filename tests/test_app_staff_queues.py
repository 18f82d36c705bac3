"""Every decision staff make has its queue on the admin home: version submissions (integrations),
certification requests and workflow templates (certification), review disputes (marketplace).
Each counts only what waits for staff, and links each item to the admin page that decides it."""

import datetime

import pytest
from django.utils import timezone

from certification.models import CertificationRequest, RequestStatus, WorkflowTemplate
from marketplace.reviews.models import Dispute, DisputeStatus, Review
from portal import staff_queues
from tests.factories import IntegrationFactory, IntegrationVersionFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def queue(key: str) -> staff_queues.StaffQueue:
    return {q.key: q for q in staff_queues.queues()}[key]


def test_every_decision_of_the_apps_has_its_queue():
    assert {
        "version_submissions",
        "certification_requests",
        "workflow_templates",
        "review_disputes",
        "review_flags",
    } <= {q.key for q in staff_queues.queues()}


def test_the_certification_queues_count_what_waits_for_staff_only(northwind):
    version = IntegrationVersionFactory(integration=IntegrationFactory(owner=northwind), number="1.0.0")
    waiting = CertificationRequest.objects.create(version=version, organization=northwind)
    CertificationRequest.objects.create(
        version=IntegrationVersionFactory(integration=version.integration, number="1.1.0"),
        organization=northwind,
        status=RequestStatus.CHANGES_REQUESTED,  # waits for the integrator, not for staff
    )
    template = WorkflowTemplate.objects.create(
        version=version, organization=northwind, name="Nightly", description="", definition={}, status="submitted"
    )

    assert list(queue("certification_requests").waiting()) == [waiting]
    assert list(queue("workflow_templates").waiting()) == [template]
    assert queue("certification_requests").decision_url(waiting).endswith(f"/{waiting.pk}/change/")


def test_the_dispute_queue_counts_pending_disputes_since_they_were_raised(northwind):
    integration = IntegrationFactory(owner=northwind)
    raised = timezone.now() - datetime.timedelta(days=3)
    pending, decided = (
        Dispute.objects.create(
            review=Review.objects.create(
                organization=OrganizationFactory(), integration=integration, stars=1, text="x"
            ),
            reasoning="The logs show otherwise.",
            raised_at=raised,
            status=status,
        )
        for status in (DisputeStatus.PENDING, DisputeStatus.REJECTED)
    )

    assert list(queue("review_disputes").waiting()) == [pending]
    assert queue("review_disputes").waiting().order_by().values_list("raised_at", flat=True)[0] == raised
