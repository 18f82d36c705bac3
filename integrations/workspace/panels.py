"""Sections higher apps add to an integration's workspace page (the certification state, say),
so the page shows them without this app naming those apps. A panel is a template, included with
the page's context plus `panel`: what its context function returns for the request and integration."""

from collections.abc import Callable
from dataclasses import dataclass

ContextFunction = Callable[..., dict]


@dataclass(frozen=True)
class WorkspacePanel:
    template_name: str
    context: ContextFunction
    order: int


_panels: dict[str, WorkspacePanel] = {}


def register_workspace_panel(template_name: str, context: ContextFunction, *, order: int) -> None:
    """``context(request, integration, versions)`` returns the panel's own variables."""
    _panels[template_name] = WorkspacePanel(template_name, context, order)


def rendered_panels(request, integration, versions) -> list[tuple[str, dict]]:
    chosen = sorted(_panels.values(), key=lambda panel: panel.order)
    return [(panel.template_name, panel.context(request, integration, versions)) for panel in chosen]
