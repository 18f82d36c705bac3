"""Reads of certification requests, each with a fixed number of queries."""

from certification.requests.models import OPEN, CertificationRequest, CheckResult, RequestStatus, RequestTransition
from integrations.models import Integration, IntegrationVersion


def latest_checks(request_: CertificationRequest) -> list[CheckResult]:
    """The results of the request's current round, failing ones first."""
    results = list(request_.check_results.filter(round=request_.round))
    return sorted(results, key=lambda result: (result.passed, result.position))


def history(request_: CertificationRequest) -> list[RequestTransition]:
    return list(request_.transitions.select_related("actor").order_by("created_at", "pk"))


def requests_of_version(version: IntegrationVersion, *, limit: int = 20) -> list[CertificationRequest]:
    return list(version.certification_requests.select_related("requested_by").order_by("-created_at", "-pk")[:limit])


def open_request(version: IntegrationVersion) -> CertificationRequest | None:
    return version.certification_requests.filter(status__in=OPEN).first()


def integration_certification(integration: Integration, versions) -> list[dict]:
    """For each version: its newest request (or none) and whether it is certified; one query."""
    newest: dict[int, CertificationRequest] = {}
    certified: set[int] = set()
    requests_ = CertificationRequest.objects.filter(version__integration=integration).order_by("-created_at", "-pk")
    for request_ in requests_.only("public_id", "status", "version_id", "checks_status", "created_at"):
        newest.setdefault(request_.version_id, request_)
        if request_.status == RequestStatus.APPROVED:
            certified.add(request_.version_id)
    return [
        {"version": version, "request": newest.get(version.pk), "certified": version.pk in certified}
        for version in versions
    ]


def declared_scope_names(version: IntegrationVersion) -> list[str]:
    """The webhook scopes the version declares: as they were when it was certified, else today's
    (scopes belong to the integration, and a newer version may have changed them since)."""
    approved = (
        version.certification_requests.filter(status=RequestStatus.APPROVED)
        .order_by("-decided_at", "-pk")
        .values_list("declarations", flat=True)
        .first()
    )
    if approved:
        return [scope["name"] for scope in approved.get("scopes", [])]
    return list(version.integration.scopes.values_list("name", flat=True))
