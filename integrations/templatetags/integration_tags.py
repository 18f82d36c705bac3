"""Template tags that let portal's pages show integration facts without portal importing this app."""

from django import template

from integrations import onboarding
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
