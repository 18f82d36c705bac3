"""What the certification workflow hands the integrations app, through its hooks, so that app
keeps no knowledge of this one: the `certification_approved` fact of the Certified rule, and the
freeze of a version under review or certified."""

from django.utils.formats import date_format

from certification.requests.models import CertificationRequest, RequestStatus
from certification.requests.selectors import integration_certification
from integrations.models import IntegrationVersion, semver_key
from integrations.tiers import engine as tiers
from integrations.tiers.certified import APPROVAL, use_frozen_declarations
from integrations.workspace.freeze import register_freeze_checker


def load_approvals(facts: list[tiers.Facts]) -> None:
    """Puts, for each version with an approved request, who approved it and when, and has it
    judged on its declarations as they were at that approval (one query)."""
    if not facts:
        return
    approved = (
        CertificationRequest.objects.filter(
            version_id__in={fact.version.pk for fact in facts}, status=RequestStatus.APPROVED
        )
        # What the message and the frozen declarations read, not the snapshot or who decided.
        .only("version_id", "decided_at", "decided_by_automation", "declarations")
        .order_by("decided_at", "pk")
    )
    by_version = {request_.version_id: request_ for request_ in approved}
    for fact in facts:
        request_ = by_version.get(fact.version.pk)
        if request_ is not None:
            fact.extra[APPROVAL] = approval_message(request_)
            use_frozen_declarations(fact, request_.declarations)


def approval_message(request_: CertificationRequest) -> str:
    who = "the Red Rook automation" if request_.decided_by_automation else "Red Rook staff"
    when = date_format(request_.decided_at, "DATE_FORMAT") if request_.decided_at else ""
    return f"Certification request approved by {who}{' on ' + when if when else ''}."


def versions_frozen(versions) -> dict[int, str]:
    """One query for all the versions given."""
    by_pk = {version.pk: version for version in versions}
    statuses: dict[int, set[str]] = {}
    frozen = CertificationRequest.objects.frozen().filter(version_id__in=by_pk).values_list("version_id", "status")
    for version_id, status in frozen:
        statuses.setdefault(version_id, set()).add(status)
    reasons = {}
    for pk, found in statuses.items():
        state = "certified" if RequestStatus.APPROVED in found else "under certification review"
        reasons[pk] = f"Version {by_pk[pk].number} is {state}."
    return reasons


def declarations_frozen(integration) -> str:
    """While a request of any version is open, the declarations stay as the reviewers see them;
    after an approval they stay as certified until the integrator starts a newer version."""
    frozen = list(
        CertificationRequest.objects.frozen()
        .filter(version__integration_id=integration.pk)
        .select_related("version")
        .only("status", "version__number")
    )
    under_review = [r for r in frozen if r.status != RequestStatus.APPROVED]
    if under_review:
        return f"Version {under_review[0].version.number} is under certification review."
    certified = [r.version for r in frozen]
    if not certified:
        return ""
    numbers = IntegrationVersion.objects.filter(integration_id=integration.pk).values_list("number", flat=True)
    newest = max(numbers, key=semver_key)
    if newest in {version.number for version in certified}:
        return f"Version {newest} is certified."
    return ""


def register() -> None:
    tiers.register_loader("certification")(load_approvals)
    register_freeze_checker("certification", version=versions_frozen, integration=declarations_frozen)


def workspace_panel_context(request, integration, versions) -> dict:
    return {"certification_rows": integration_certification(integration, versions)}
