"""Template tags that let portal's pages show integration facts without portal importing this app."""

from django import template
from django.utils.dates import MONTHS_3
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from integrations import onboarding
from integrations.models import Tier
from integrations.workspace.selectors import integration_count as count_integrations

register = template.Library()


@register.simple_tag
def integration_count(organization) -> int:
    """How many integrations the organization owns or works on as an associated integrator."""
    return count_integrations(organization)


@register.simple_tag
def provider_path(organization) -> list:
    """The steps of a provider's registration (integrations.onboarding)."""
    return onboarding.provider_path(organization)


@register.simple_tag
def integrator_paths(organization) -> list:
    """The integrations the organization is taking to Ready, each with its steps (integrations.onboarding)."""
    return onboarding.integrator_paths(organization)


TIER_CLASSES = {
    Tier.COMPATIBLE: " tier-compatible",
    Tier.READY: " tier-ready",
    Tier.CERTIFIED: " tier-certified",
    Tier.ONE_CLICK: " tier-oneclick",
}


@register.simple_tag
def tier_badge(tier, label=None) -> str:
    """A tier's badge (a tag rather than an include: list pages show one per row). ``label``
    defaults to the tier's own label."""
    if label is None:
        label = Tier(tier).label
    return format_html('<span class="badge{}">{}</span>', TIER_CLASSES.get(tier, ""), label)


@register.simple_tag
def tier_progress(progress) -> str:
    """A dashboard row's progress through the tiers (workspace.selectors.TierProgress), one
    progress bar a tier: a tag, since the dashboard shows one per row and a template loop costs
    a dozen variable look-ups a tier. Built from the tiers' labels (escaped once) and integers,
    not by format_html, which escapes every argument of every bar."""
    return mark_safe(  # noqa: S308 - escaped labels and integers only
        "".join(_progress_bar(TIER_LABELS[step.tier], step.passed, step.total) for step in progress)
    )


TIER_LABELS = {tier: str(escape(tier.label)) for tier in Tier}


def _progress_bar(label: str, passed: int, total: int) -> str:
    passes = f"{int(passed)} of {int(total)} requirement{'' if total == 1 else 's'} pass{'es' if passed == 1 else ''}"
    return (
        f'<div><dt>{label}</dt><dd><progress value="{int(passed)}" max="{int(total)}" aria-label="{label}: {passes}">'
        f"</progress> {int(passed)} of {int(total)}</dd></div>"
    )


def _display_date(day) -> str:
    return f"{MONTHS_3[day.month].title()} {day.day}, {day.year}"  # the date filter's "M j, Y"


@register.simple_tag
def release_time(day) -> str:
    """A release date as a <time> element (a tag rather than two date filters: version tables
    and directories show one a row)."""
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), _display_date(day))


@register.simple_tag
def latest_version(application) -> str:
    """An application's latest version and its release date, as annotated by
    ApplicationQuerySet.with_latest_version (a tag: the directory shows a hundred a page)."""
    if not application.latest_label:
        return mark_safe('<span class="latest-version">No versions yet</span>')  # noqa: S308 - a literal
    return format_html(
        '<span class="latest-version">Latest version: <strong>{}</strong>, released {}</span>',
        application.latest_label,
        release_time(application.latest_release_date),
    )


@register.simple_tag
def website(url: str, label: str) -> str:
    """A link to an organization's or application's own site, shown without its scheme and "www."
    (a tag rather than an include: the directory shows one a provider)."""
    if not url:
        return ""
    shown = Truncator(url.replace("https://", "").replace("http://", "").replace("www.", "")).chars(60)
    return format_html(
        '<a href="{}" rel="nofollow noopener external" class="external-link">{}'
        '<span class="visually-hidden"> ({})</span></a>',
        url,
        shown,
        label,
    )
