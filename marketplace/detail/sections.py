"""Extra sections of an integration's marketplace page, handed in by their owners.

The page itself knows the tier sections, the matrix and the reviews; a capability with more to show
(the approved workflow templates here, a higher app's figures later) registers a section from its
AppConfig.ready: a template and a function that reads what the template needs for one listing,
or None when it has nothing to show there. Each function must cost a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

ContextFn = Callable[[HttpRequest, object], dict | None]  # (request, listing) -> context or None


@dataclass(frozen=True)
class DetailSection:
    key: str
    template: str
    context: ContextFn
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    template: str
    context: dict


# Keyed, so that registering again (an AppConfig.ready run twice) replaces rather than repeats.
_sections: dict[str, DetailSection] = {}


def register_detail_section(key: str, template: str, context: ContextFn, *, order: int = 100) -> None:
    """Shows `template` on every integration's page for which `context(request, listing)` is not
    None; the template reads that dict as `section`. Lower orders come first."""
    _sections[key] = DetailSection(key, template, context, order)


def sections_for(request: HttpRequest, listing) -> list[RenderedSection]:
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request, listing)
        if context is not None:
            shown.append(RenderedSection(section.template, context))
    return shown
