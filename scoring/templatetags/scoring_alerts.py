"""What the scoring app shows in the portal's and the integrations app's pages (through their
panel registries) for the acting organization: the version alerts computed live, the hide
warnings as the daily task recorded them."""

from django import template

from integrations.access import workable_integrations
from scoring.versions.selectors import version_relevance_deduction, versions_behind

register = template.Library()

# The dashboard names each behind integration; an organization with more reads the count.
ALERTS_SHOWN = 20


@register.simple_tag
def version_alerts(organization) -> dict:
    if organization is None:
        return {"behind": [], "count": 0}
    integrations = workable_integrations(organization).select_related("application").order_by("name", "pk")
    behind = versions_behind(integrations)
    return {"behind": behind[:ALERTS_SHOWN], "count": len(behind), "deduction": version_relevance_deduction()}


@register.simple_tag
def hide_warnings(organization) -> dict:
    """The acting organization's integrations warned that a run a week ahead would hide them, and
    still at risk: the warnings the daily task recorded, read in one query whatever their number."""
    if organization is None:
        return {"warnings": [], "count": 0}
    from scoring.warnings.selectors import hide_threshold, standing_warnings

    warnings = standing_warnings(workable_integrations(organization))
    if not warnings:
        return {"warnings": [], "count": 0}
    return {"warnings": warnings[:ALERTS_SHOWN], "count": len(warnings), "hide_threshold": hide_threshold()}
