"""What the scoring app shows in the portal's and the integrations app's pages (through their
panel registries) for the acting organization: the version alerts computed (and kept until
what they follow changes), the hide warnings as the daily task recorded them."""

from django import template
from django.conf import settings
from django.core.cache import cache

from integrations.access import workable_integrations
from portal import page_cache
from scoring.versions.selectors import version_relevance_deduction, versions_behind_count

register = template.Library()

# The dashboard names each behind integration; an organization with more reads the count.
ALERTS_SHOWN = 20


def _version_alerts(organization) -> dict:
    behind, count = versions_behind_count(workable_integrations(organization), ALERTS_SHOWN)
    return {"behind": behind, "count": count, "deduction": version_relevance_deduction()}


@register.simple_tag
def version_alerts(organization) -> dict:
    """The organization's integrations behind on versions. They follow only from what the public
    pages' cache watches (application and integration versions, the versions supported, who owns
    or is associated with an integration, the scoring policy), so they are kept under the same
    generation of public content (portal.page_cache): any save of those replaces it, and the
    dashboard reads one cache entry instead of five queries until then."""
    if organization is None:
        return {"behind": [], "count": 0}
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    generation = page_cache.current_generation() if seconds > 0 else None
    if generation is None:
        return _version_alerts(organization)
    key = f"version-alerts:{organization.pk}:{generation}"
    alerts = cache.get(key)
    if alerts is None:
        alerts = _version_alerts(organization)
        cache.set(key, alerts, seconds)
    return alerts


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
