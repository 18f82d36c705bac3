"""An organization's or an application's logo (portal.models.LogoMixin), or its initials until it
has one: a tag rather than an include, since list pages show one per row and an include costs
many times what this function does."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def logo(owner, size: str = "small") -> str:
    """size: "small" (48 px) or "large" (128 px)."""
    if owner.logo:
        if size == "large":
            return format_html(
                '<img class="logo logo-large" src="{}" alt="{} logo" width="128" height="128">',
                owner.logo.url,
                owner.name,
            )
        return format_html(
            '<img class="logo logo-small" src="{}" alt="{} logo" width="48" height="48" loading="lazy">',
            owner.logo_small.url,
            owner.name,
        )
    return format_html(
        '<span class="logo logo-{} logo-placeholder" aria-hidden="true">{}</span>', size or "small", owner.initials
    )
