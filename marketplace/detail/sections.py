"""Sections higher apps add to an integration's marketplace page (the score, say), so the page
shows them without this app naming those apps. A section is a template, included with the page's
context plus `section`: what its context function returns for the request and listing."""

from collections.abc import Callable
from dataclasses import dataclass

ContextFunction = Callable[..., dict]


@dataclass(frozen=True)
class DetailSection:
    template_name: str
    context: ContextFunction
    order: int


_sections: dict[str, DetailSection] = {}


def register_detail_section(template_name: str, context: ContextFunction, *, order: int) -> None:
    """``context(request, listing)`` returns the section's own variables; registering a template
    again replaces it."""
    _sections[template_name] = DetailSection(template_name, context, order)


def rendered_sections(request, listing) -> list[tuple[str, dict]]:
    chosen = sorted(_sections.values(), key=lambda section: section.order)
    return [(section.template_name, section.context(request, listing)) for section in chosen]
