"""Runs a request's automated checks (requests.checks) and stores their results, then lets the
automation look at a re-certification (requests.automation).

Safe to run twice or late (acks_late redelivers a task whose worker died): the results of a
round are stored at once, only while the request is still in that round and its checks are not
done; a run for an older round (the integrator resubmitted meanwhile) changes nothing."""

import logging

from django.db import transaction
from django.utils import timezone

from certification.requests import automation, checks
from certification.requests.models import CertificationRequest, CheckOutcome, CheckResult, ChecksStatus
from integrations.models import IntegrationVersion

logger = logging.getLogger(__name__)
UNFINISHED = (ChecksStatus.QUEUED, ChecksStatus.RUNNING)


def _mine(request_pk: int, round_: int):
    return CertificationRequest.objects.filter(pk=request_pk, round=round_, checks_status__in=UNFINISHED)


def _progress(request_pk: int, round_: int, done: int) -> None:
    _mine(request_pk, round_).update(checks_done=done)


def _collect(request_pk: int, round_: int, version: IntegrationVersion) -> list[checks.Check]:
    found = list(checks.rule_checks(version))
    scope_list = list(checks.scope_checks(version))
    test_count = version.template_mappings.filter(tests__isnull=False).count() or 1
    dynamic = 1 if version.integration.kind == "dynamic" else 0
    _mine(request_pk, round_).update(
        checks_total=len(found) + len(scope_list) + test_count + dynamic, checks_done=len(found)
    )
    found += list(checks.mapping_test_checks(version))
    _progress(request_pk, round_, len(found))
    if (document := checks.openapi_check(version)) is not None:
        found.append(document)
    return found + scope_list


def run_certification_checks(request_pk: int, round_: int) -> CertificationRequest | None:
    claimed = _mine(request_pk, round_).update(checks_status=ChecksStatus.RUNNING)
    if not claimed:
        return None
    request_ = CertificationRequest.objects.select_related("version__integration").get(pk=request_pk)
    try:
        found = _collect(request_pk, round_, request_.version)
    except Exception:  # noqa: BLE001 - the checks must end, never stay running
        logger.exception("Certification checks of request %s failed", request_pk)
        _mine(request_pk, round_).update(checks_status=ChecksStatus.FAILED)
        return CertificationRequest.objects.get(pk=request_pk)
    with transaction.atomic():
        locked = CertificationRequest.objects.select_for_update().filter(pk=request_pk).first()
        if locked is None or locked.round != round_ or locked.checks_status not in UNFINISHED:
            return None
        now = timezone.now()
        CheckResult.objects.filter(request=locked, round=round_).delete()
        CheckResult.objects.bulk_create(
            CheckResult(
                request=locked,
                round=round_,
                position=position,
                kind=check.kind,
                name=check.name[:300],
                outcome=CheckOutcome.PASS if check.passed else CheckOutcome.FAIL,
                message=check.message[:4000],
                evidence=check.evidence,
                checked_at=now,
            )
            for position, check in enumerate(found, start=1)
        )
        failed = sum(1 for check in found if not check.passed)
        CertificationRequest.objects.filter(pk=request_pk).update(
            checks_status=ChecksStatus.DONE, checks_total=len(found), checks_done=len(found), checks_failed=failed
        )
    automation.consider(request_pk, round_)
    return CertificationRequest.objects.get(pk=request_pk)
