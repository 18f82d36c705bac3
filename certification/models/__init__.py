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

__all__ = [
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
