"""Template tags that let portal's pages show integration facts without portal importing this app."""

from django import template

from integrations.workspace.selectors import integration_count as count_integrations

register = template.Library()


@register.simple_tag
def integration_count(organization) -> int:
    """How many integrations the organization owns or works on as an associated integrator."""
    return count_integrations(organization)
