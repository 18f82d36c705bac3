"""What the scoring app shows in the portal's and the integrations app's pages (through their
panel registries) for the acting organization: the version alerts computed, the hide warnings as
the daily task recorded them. Each panel is kept rendered, per organization, until what it
follows changes: reading and drawing twenty alerts on every visit of the dashboard cost more than
the rest of its header."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from integrations.access import workable_integrations
from portal import page_cache
from scoring.versions.selectors import version_relevance_deduction, versions_behind_count

register = template.Library()

# The dashboard names each behind integration; an organization with more reads the count.
ALERTS_SHOWN = 20


def _version_alerts(organization) -> dict:
    behind, count = versions_behind_count(workable_integrations(organization), ALERTS_SHOWN)
    return {"behind": behind, "count": count, "deduction": version_relevance_deduction()}


def _hide_warnings(organization) -> dict:
    from scoring.warnings.selectors import hide_threshold, standing_warnings

    warnings = standing_warnings(workable_integrations(organization))
    if not warnings:
        return {"warnings": [], "count": 0}
    return {"warnings": warnings[:ALERTS_SHOWN], "count": len(warnings), "hide_threshold": hide_threshold()}


def _kept_panel(name: str, organization, template_name: str, alerts) -> str:
    """The panel drawn from alerts(organization), kept under the public content's generation:
    what these panels read (versions, supported versions, associations, the policy, listings and
    their scores, and the warnings, whose task replaces the generation) is what it follows. It
    links to public pages only: nothing in it depends on who looks, or on the request."""
    if organization is None:
        return ""
    html = page_cache.kept(
        name,
        str(organization.pk),
        lambda: str(render_to_string(template_name, {"alerts": alerts(organization)})),
        settings.PUBLIC_PAGE_CACHE_SECONDS,
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template above, which escapes


@register.simple_tag
def version_alerts_panel(organization) -> str:
    """The organization's integrations behind on versions."""
    return _kept_panel("version-alerts-panel", organization, "scoring/versions/_alerts.html", _version_alerts)


@register.simple_tag
def hide_warnings_panel(organization) -> str:
    """The acting organization's integrations warned that a run a week ahead would hide them, and
    still at risk: the warnings the daily task recorded, read in one query whatever their number."""
    return _kept_panel("hide-warnings-panel", organization, "scoring/warnings/_alerts.html", _hide_warnings)
