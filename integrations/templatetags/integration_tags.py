"""Template tags that let portal's pages show integration facts without portal importing this app."""

from django import template
from django.utils.html import format_html

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
