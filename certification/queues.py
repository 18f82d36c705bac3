"""The certification app's staff queues, handed to the portal's admin home and daily digest
(portal.staff_queues) from CertificationConfig.ready: certification requests submitted and not yet
decided, and workflow templates waiting for approval. Each item is decided on its admin page."""

from django.db.models import QuerySet
from django.urls import reverse

from certification.models import CertificationRequest, RequestStatus, WorkflowTemplate
from portal.staff_queues import StaffQueue, register_queue


def waiting_requests() -> QuerySet[CertificationRequest]:
    return CertificationRequest.objects.filter(status=RequestStatus.SUBMITTED).select_related("version__integration")


def waiting_templates() -> QuerySet[WorkflowTemplate]:
    return WorkflowTemplate.objects.waiting().select_related("version__integration")


def register_queues() -> None:
    register_queue(
        StaffQueue(
            key="certification_requests",
            name="Certification requests",
            waiting=waiting_requests,
            since_field="submitted_at",
            list_url_name="admin:certification_certificationrequest_changelist",
            list_query=f"status__exact={RequestStatus.SUBMITTED}",
            decision_url=lambda item: reverse("admin:certification_certificationrequest_change", args=[item.pk]),
            permission="certification.view_certificationrequest",
        )
    )
    register_queue(
        StaffQueue(
            key="workflow_templates",
            name="Workflow templates",
            waiting=waiting_templates,
            since_field="submitted_at",
            list_url_name="admin:certification_workflowtemplate_changelist",
            list_query="status__exact=submitted",
            decision_url=lambda item: reverse("admin:certification_workflowtemplate_change", args=[item.pk]),
            permission="certification.view_workflowtemplate",
        )
    )
