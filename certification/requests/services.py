"""Every change to a certification request goes through one of these actions.

Fixed order: check who acts, then in one transaction lock the integration's row (the lock every
edit of its mappings, tests and declarations takes first, so the freeze and a submit cannot
cross), lock the request, check the move against TRANSITIONS, save, write a RequestTransition and
an AuditEvent, and enqueue the checks and emails with transaction.on_commit.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from certification.requests import notifications
from certification.requests.models import (
    OPEN,
    CertificationRequest,
    ChecksStatus,
    RequestStatus,
    RequestTransition,
)
from certification.requests.snapshot import take_snapshot
from integrations.models import Integration, IntegrationVersion, Tier
from integrations.tiers import engine as tiers
from integrations.tiers.certified import APPROVAL, take_declarations
from portal.models import Organization, User
from portal.services import ActionRefused, record

AUTOMATION = "Red Rook automation"
NOT_THE_OWNER = "Only members of the integration's owner organization request its certification."
ALREADY_OPEN = "Version {number} already has an open certification request."
ALREADY_CERTIFIED = (
    "Version {number} is already certified: start a new version to change it and request its certification."
)
COMMENT_REQUIRED = "Write a comment: the integrator reads it to know what to change."
MAX_COMMENT = 4000


class Decider:
    """Who moves a request: a person, or the automation (no account)."""

    def __init__(self, user: User | None) -> None:
        self.user = user

    @property
    def name(self) -> str:
        return AUTOMATION if self.user is None else (self.user.get_full_name() or self.user.email)


def failing_rules(version: IntegrationVersion) -> list[str]:
    """What keeps the version from being reviewed: every failing rule but the approval."""
    failing = []
    for checklist in tiers.evaluate(version):
        if checklist.tier > Tier.CERTIFIED:
            break  # One-Click comes after certification
        for rule, result in checklist.results:
            if rule.code != APPROVAL and not result.passed:
                failing.append(f"{checklist.tier.label}: {rule.title}. {result.message}")
    return failing


def _refuse_failing(version: IntegrationVersion) -> None:
    failing = failing_rules(version)
    if failing:
        raise ActionRefused(
            "The Certified checklist does not pass yet, so the request was not sent: "
            + " ".join(f"({number}) {text}" for number, text in enumerate(failing, start=1))
        )


def _clean(comment: str, *, required: bool = False) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ActionRefused(COMMENT_REQUIRED)
    if len(comment) > MAX_COMMENT:
        raise ActionRefused(f"A comment has at most {MAX_COMMENT} characters.")
    return comment


def _transition(request_: CertificationRequest, *, decider: Decider, before: str, comment: str) -> RequestTransition:
    transition = RequestTransition.objects.create(
        request=request_,
        actor=decider.user,
        actor_name=decider.name[:200],
        by_automation=decider.user is None,
        from_status=before,
        to_status=request_.status,
        comment=comment,
    )
    version = request_.version
    record(
        actor=decider.user,
        kind=f"certification_request.{request_.status}",
        organization=request_.organization,
        target=request_,
        within=version,
        from_state=before,
        to_state=request_.status,
        comment=(comment if decider.user else f"{AUTOMATION}: {comment}")[:1000],
    )
    transaction.on_commit(lambda: notifications.send_request_moved(transition.pk))
    return transition


def _start_checks(request_: CertificationRequest) -> None:
    from certification.requests import tasks  # the task module imports this one

    request_pk, round_ = request_.pk, request_.round
    transaction.on_commit(lambda: tasks.run_certification_checks.delay(request_pk, round_))


def submit_certification_request(
    version: IntegrationVersion, *, acting_user: User, acting_organization: Organization | None, message: str = ""
) -> CertificationRequest:
    message = _clean(message)
    with transaction.atomic():
        integration = Integration.objects.lock(version.integration)
        if acting_organization is None or integration.owner_id != acting_organization.pk:
            raise ActionRefused(NOT_THE_OWNER)
        version = integration.versions.get(pk=version.pk)
        if CertificationRequest.objects.filter(version=version, status__in=OPEN).exists():
            raise ActionRefused(ALREADY_OPEN.format(number=version.number))
        # Approved once: its approval keeps the declarations it was certified with (take_declarations).
        if CertificationRequest.objects.filter(version=version, status=RequestStatus.APPROVED).exists():
            raise ActionRefused(ALREADY_CERTIFIED.format(number=version.number))
        _refuse_failing(version)
        request_ = CertificationRequest(
            version=version,
            organization=integration.owner,
            requested_by=acting_user,
            message=message,
            snapshot=take_snapshot(version),
        )
        try:
            with transaction.atomic():  # a second open request that slipped past the check
                request_.save()
        except IntegrityError:
            raise ActionRefused(ALREADY_OPEN.format(number=version.number)) from None
        _transition(request_, decider=Decider(acting_user), before="", comment=message)
        _start_checks(request_)
        transaction.on_commit(lambda: notifications.send_request_submitted_to_staff(request_.pk))
    return request_


def _locked(request_: CertificationRequest) -> tuple[Integration, CertificationRequest]:
    integration = Integration.objects.lock(request_.version.integration)
    locked = (
        CertificationRequest.objects.select_for_update(of=("self",))
        .select_related("version__integration", "organization")
        .get(pk=request_.pk)
    )
    return integration, locked


def _refuse_move(request_: CertificationRequest, to: str) -> None:
    if not request_.may_move_to(to):
        raise ActionRefused(
            f"This certification request is already {request_.get_status_display().lower()}: "
            f"it cannot be {RequestStatus(to).label.lower()} now. Reload the page to see its state."
        )


def _refuse_not_owner(request_: CertificationRequest, organization: Organization | None) -> None:
    if organization is None or request_.organization_id != organization.pk:
        raise ActionRefused(NOT_THE_OWNER)


def withdraw_certification_request(
    request_: CertificationRequest, *, acting_user: User, acting_organization: Organization | None, comment: str = ""
) -> CertificationRequest:
    comment = _clean(comment)
    with transaction.atomic():
        _, request_ = _locked(request_)
        _refuse_not_owner(request_, acting_organization)
        _refuse_move(request_, RequestStatus.WITHDRAWN)
        before = request_.status
        request_.status = RequestStatus.WITHDRAWN
        request_.decided_at = timezone.now()
        request_.save(update_fields=["status", "decided_at"])
        _transition(request_, decider=Decider(acting_user), before=before, comment=comment)
    return request_


def resubmit_certification_request(
    request_: CertificationRequest, *, acting_user: User, acting_organization: Organization | None, comment: str
) -> CertificationRequest:
    """The integrator's answer to "changes requested": a comment, and the checks run again."""
    comment = _clean(comment, required=True)
    with transaction.atomic():
        _, request_ = _locked(request_)
        _refuse_not_owner(request_, acting_organization)
        _refuse_move(request_, RequestStatus.SUBMITTED)
        _refuse_failing(request_.version)
        before = request_.status
        request_.status = RequestStatus.SUBMITTED
        request_.round += 1
        request_.checks_status, request_.checks_total, request_.checks_done = ChecksStatus.QUEUED, 0, 0
        request_.checks_failed, request_.queue_reason = 0, ""
        request_.snapshot = take_snapshot(request_.version)
        request_.submitted_at = timezone.now()
        request_.save()
        _transition(request_, decider=Decider(acting_user), before=before, comment=comment)
        _start_checks(request_)
        transaction.on_commit(lambda: notifications.send_request_submitted_to_staff(request_.pk))
    return request_


# --- Decisions: Red Rook staff in the admin, or the automation --------------------------------


def may_decide(user: User | None, request_: CertificationRequest) -> str:
    """Why the person may not decide the request ("" when they may)."""
    if user is None or not user.is_active or not user.is_staff:
        return "Only Red Rook staff decide certification requests."
    if request_.organization.memberships.filter(user=user).exists():
        return f"You are a member of {request_.organization.name}: another member of staff decides its requests."
    return ""


def _decide(request_: CertificationRequest, to: str, *, decider: Decider, comment: str) -> CertificationRequest:
    with transaction.atomic():
        integration, request_ = _locked(request_)
        if decider.user is not None and (refusal := may_decide(decider.user, request_)):
            raise ActionRefused(refusal)
        _refuse_move(request_, to)
        if to == RequestStatus.APPROVED and not request_.checks_pass:
            raise ActionRefused(
                "The automated checks have not all passed yet: wait for them to finish, or request changes."
            )
        before = request_.status
        if to == RequestStatus.APPROVED:
            request_.declarations = take_declarations(request_.version)
        request_.status = to
        request_.decided_at = timezone.now()
        request_.decided_by = decider.user
        request_.decided_by_automation = decider.user is None
        request_.save(update_fields=["status", "decided_at", "decided_by", "decided_by_automation", "declarations"])
        _transition(request_, decider=decider, before=before, comment=comment)
        if to == RequestStatus.APPROVED:
            tiers.recompute(integration, cause=f"version {request_.version.number} certified by {decider.name}")
    return request_


def approve_certification_request(
    request_: CertificationRequest, *, acting_user: User, comment: str = ""
) -> CertificationRequest:
    return _decide(request_, RequestStatus.APPROVED, decider=Decider(acting_user), comment=_clean(comment))


def request_changes(request_: CertificationRequest, *, acting_user: User, comment: str) -> CertificationRequest:
    comment = _clean(comment, required=True)
    return _decide(request_, RequestStatus.CHANGES_REQUESTED, decider=Decider(acting_user), comment=comment)


def reject_certification_request(
    request_: CertificationRequest, *, acting_user: User, comment: str
) -> CertificationRequest:
    comment = _clean(comment, required=True)
    return _decide(request_, RequestStatus.REJECTED, decider=Decider(acting_user), comment=comment)


def approve_by_automation(request_: CertificationRequest, *, reason: str) -> CertificationRequest:
    return _decide(request_, RequestStatus.APPROVED, decider=Decider(None), comment=reason)
