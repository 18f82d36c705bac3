"""The breakdown where the lower apps show it: a section of the integration's workspace page
(integrations.workspace.panels) and of its marketplace page (marketplace.detail.sections)."""

from integrations.models import Integration
from scoring.breakdown.selectors import breakdown, latest_snapshot
from scoring.warnings.selectors import hide_threshold, standing_warnings


def workspace_panel_context(request, integration, versions) -> dict:
    """The breakdown, and the hide warning the daily task recorded if it still stands."""
    owner = request.organization is not None and integration.owner_id == request.organization.pk
    warnings = standing_warnings(Integration.objects.filter(pk=integration.pk))
    return {
        "breakdown": breakdown(integration, owner=owner),
        "hide_warning": warnings[0] if warnings else None,
        "hide_threshold": hide_threshold() if warnings else None,
    }


def public_section_context(request, listing) -> dict:
    """The score and the deductions by rule, without naming a customer or linking a record."""
    snapshot = latest_snapshot(listing.integration)
    if snapshot is None:
        return {"public_score": None}
    by_rule = [
        (deduction.get_rule_display(), deduction.amount, len(deduction.causes))
        for deduction in snapshot.deductions.all()
        if deduction.amount
    ]
    return {
        "public_score": snapshot,
        "public_deductions": by_rule,
        "public_realigned": sum(len(deduction.realigned) for deduction in snapshot.deductions.all()),
    }
