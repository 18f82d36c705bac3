"""What the scoring app shows in the portal's and the integrations app's pages (through their
panel registries) for the acting organization: the version alerts computed (and kept until
what they follow changes), the hide warnings as the daily task recorded them."""

from django import template
from django.conf import settings

from integrations.access import workable_integrations
from portal import page_cache
from scoring.versions.selectors import version_relevance_deduction, versions_behind_count

register = template.Library()

# The dashboard names each behind integration; an organization with more reads the count.
ALERTS_SHOWN = 20


def _version_alerts(organization) -> dict:
    behind, count = versions_behind_count(workable_integrations(organization), ALERTS_SHOWN)
    return {"behind": behind, "count": count, "deduction": version_relevance_deduction()}


def _kept(name: str, organization, compute):
    """compute() for the organization, kept under the public content's generation: what these
    panels read (versions, supported versions, associations, the policy, listings and their
    scores, and the warnings, whose task replaces the generation) is what it follows."""
    return page_cache.kept(name, str(organization.pk), compute, settings.PUBLIC_PAGE_CACHE_SECONDS)


@register.simple_tag
def version_alerts(organization) -> dict:
    """The organization's integrations behind on versions."""
    if organization is None:
        return {"behind": [], "count": 0}
    return _kept("version-alerts", organization, lambda: _version_alerts(organization))


def _hide_warnings(organization) -> dict:
    from scoring.warnings.selectors import hide_threshold, standing_warnings

    warnings = standing_warnings(workable_integrations(organization))
    if not warnings:
        return {"warnings": [], "count": 0}
    return {"warnings": warnings[:ALERTS_SHOWN], "count": len(warnings), "hide_threshold": hide_threshold()}


@register.simple_tag
def hide_warnings(organization) -> dict:
    """The acting organization's integrations warned that a run a week ahead would hide them, and
    still at risk: the warnings the daily task recorded, read in one query whatever their number."""
    if organization is None:
        return {"warnings": [], "count": 0}
    return _kept("hide-warnings", organization, lambda: _hide_warnings(organization))
