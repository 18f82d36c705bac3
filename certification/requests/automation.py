"""Red Rook automation: a request for a new version of an integration that already has a
certified version is approved without staff when every automated check passes and the version
drops nothing a customer relies on (a collection, a direction or a declared webhook scope of the
certified version). Otherwise the request waits in the staff queue with the reason."""

from django.template.defaultfilters import pluralize

from certification.requests import services
from certification.requests.models import CertificationRequest, RequestStatus
from certification.requests.snapshot import incompatible_changes
from integrations.models import semver_key
from portal.services import ActionRefused


def certified_predecessor(request_: CertificationRequest) -> CertificationRequest | None:
    """The approved request of the newest certified version older than this one."""
    approved = CertificationRequest.objects.filter(
        version__integration_id=request_.version.integration_id, status=RequestStatus.APPROVED
    ).select_related("version")
    older = [r for r in approved if semver_key(r.version.number) < semver_key(request_.version.number)]
    return max(older, key=lambda r: semver_key(r.version.number), default=None)


def queue_reason(request_: CertificationRequest) -> tuple[str, CertificationRequest | None]:
    """Why staff must look ("" when the automation may approve), and the certified request compared."""
    predecessor = certified_predecessor(request_)
    if predecessor is None:
        return "A first certification of this integration: Red Rook staff review it.", None
    if not request_.checks_pass:
        return f"{request_.checks_failed} automated check{pluralize(request_.checks_failed)} failed.", predecessor
    changes = incompatible_changes(predecessor.snapshot, request_.snapshot)
    if changes:
        return f"Compared with certified version {predecessor.version.number}: " + "; ".join(changes) + ".", predecessor
    return "", predecessor


def consider(request_pk: int, round_: int) -> None:
    """Called once a round's checks are stored; only a request still submitted in that round."""
    request_ = CertificationRequest.objects.select_related("version__integration", "organization").get(pk=request_pk)
    if request_.status != RequestStatus.SUBMITTED or request_.round != round_:
        return
    reason, predecessor = queue_reason(request_)
    if reason:
        CertificationRequest.objects.filter(pk=request_pk, round=round_).update(queue_reason=reason)
        return
    try:
        services.approve_by_automation(
            request_,
            reason=f"Every automated check passed and nothing certified in version {predecessor.version.number} "
            "was dropped.",
        )
    except ActionRefused:  # withdrawn or decided by staff meanwhile: their move stands
        return
