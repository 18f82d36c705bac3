"""Small pieces of marketplace markup shown many times a page (a listing card holds three of them,
and a page 24 cards): formatted here in one call each, where an included template would cost a
template context and a dozen variable lookups a piece."""

from django import template
from django.template.defaultfilters import floatformat, pluralize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from integrations.models import Tier

register = template.Library()

TIER_BADGES = {
    Tier.COMPATIBLE: ("tier-compatible", "Compatible"),
    Tier.READY: ("tier-ready", "Ready"),
    Tier.CERTIFIED: ("tier-certified", "Certified"),
    Tier.ONE_CLICK: ("tier-oneclick", "Certified + One-Click"),
}


@register.simple_tag
def tier_badge(tier) -> SafeString:
    """A listing's tier badge."""
    css, label = TIER_BADGES.get(tier, ("", ""))
    return format_html('<span class="badge{}">{}</span>', f" {css}" if css else "", label)


@register.simple_tag
def rating(count, average) -> SafeString:
    """An average and a count of reviews, read the same by eye and by a screen reader."""
    if not count:
        return mark_safe('<span class="muted">No reviews yet</span>')  # noqa: S308 - a constant
    return format_html(
        '<span class="rating-stars" aria-hidden="true">★</span> <span class="visually-hidden">Rated </span>{}'
        '<span class="visually-hidden"> out of 5</span> <span class="muted">· {} review{}</span>',
        floatformat(average, 1),
        count,
        pluralize(count),
    )


@register.simple_tag
def price(integration) -> str:
    """An integration's price: free, or what it costs up front and a month."""
    if not integration.price_up_front and not integration.price_per_month:
        return "Free"
    up_front, monthly = floatformat(integration.price_up_front, "-2g"), floatformat(integration.price_per_month, "-2g")
    return f"${up_front} up front + ${monthly} a month"


@register.filter
def summary(text: str, length: int = 160) -> str:
    """`text` cut to `length` characters with an ellipsis, as truncatechars does; plain ASCII (the
    usual description) by slicing, which costs a tenth of counting every character's width."""
    if not text.isascii():
        return Truncator(text).chars(length)
    return text if len(text) <= length else f"{text[: length - 1]}…"
