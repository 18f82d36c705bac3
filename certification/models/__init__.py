"""Every model of the certification app, re-exported from the capability that owns it."""

from certification.requests.models import (
    FROZEN,
    OPEN,
    TRANSITIONS,
    CertificationRequest,
    CheckOutcome,
    CheckResult,
    ChecksStatus,
    RequestStatus,
    RequestTransition,
)
from certification.workflow_templates.models import TemplateStatus, WorkflowTemplate

__all__ = [
    "TemplateStatus",
    "WorkflowTemplate",
    "FROZEN",
    "OPEN",
    "TRANSITIONS",
    "CertificationRequest",
    "CheckOutcome",
    "CheckResult",
    "ChecksStatus",
    "RequestStatus",
    "RequestTransition",
]
