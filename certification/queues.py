"""The certification app's staff queues, handed to the portal's admin home and daily digest
(portal.staff_queues) from CertificationConfig.ready: certification requests submitted and not yet
decided, and workflow templates waiting for approval. Each item is decided on its admin page."""

from django.db.models import QuerySet

from certification.models import CertificationRequest, RequestStatus, WorkflowTemplate
from portal.staff_queues import StaffQueue, register_queue


def waiting_requests() -> QuerySet[CertificationRequest]:
    return CertificationRequest.objects.filter(status=RequestStatus.SUBMITTED).select_related("version__integration")


def waiting_templates() -> QuerySet[WorkflowTemplate]:
    return WorkflowTemplate.objects.waiting().select_related("version__integration")


def register_queues() -> None:
    register_queue(
        StaffQueue.in_admin(
            CertificationRequest,
            key="certification_requests",
            name="Certification requests",
            waiting=waiting_requests,
            since_field="submitted_at",
            list_query=f"status__exact={RequestStatus.SUBMITTED}",
        )
    )
    register_queue(
        StaffQueue.in_admin(
            WorkflowTemplate,
            key="workflow_templates",
            name="Workflow templates",
            waiting=waiting_templates,
            since_field="submitted_at",
            list_query="status__exact=submitted",
        )
    )
