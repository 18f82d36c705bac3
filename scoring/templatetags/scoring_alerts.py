"""What the scoring app shows in the portal's and the integrations app's pages (through their
panel registries), computed live for the acting organization."""

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
