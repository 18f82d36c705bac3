"""What the scoring app shows in the portal's and the integrations app's pages (through their
panel registries), computed live for the acting organization."""

from django import template

from integrations.access import workable_integrations
from scoring.versions.selectors import version_relevance_deduction, versions_behind_count

register = template.Library()

# The dashboard names each behind integration; an organization with more reads the count.
ALERTS_SHOWN = 20


@register.simple_tag
def version_alerts(organization) -> dict:
    if organization is None:
        return {"behind": [], "count": 0}
    behind, count = versions_behind_count(workable_integrations(organization), ALERTS_SHOWN)
    return {"behind": behind, "count": count, "deduction": version_relevance_deduction()}


@register.simple_tag
def hide_warnings(organization) -> list:
    """The acting organization's integrations a run a week from today would hide."""
    if organization is None:
        return []
    from scoring.warnings.selectors import hides_ahead

    ids = workable_integrations(organization).values_list("pk", flat=True)
    return hides_ahead(list(ids[:ALERTS_SHOWN]))
