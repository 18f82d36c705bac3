"""Sections higher apps add to an integration's workspace page (the certification state, say),
so the page shows them without this app naming those apps. A panel is a template, included with
the page's context plus `panel`: what its context function returns for the request and integration.

The page that starts a new version takes options the same way (carrying the workflow templates
over, say): each is a template of form fields, shown when its context function offers something,
and a function that acts on the new version once it has started, reading its own fields."""

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


# --- Options of starting a new version -------------------------------------------------------

OptionContext = Callable[..., dict | None]
OptionApply = Callable[..., None]


@dataclass(frozen=True)
class NewVersionOption:
    template_name: str
    context: OptionContext
    apply: OptionApply
    order: int


_options: dict[str, NewVersionOption] = {}


def register_new_version_option(template_name: str, context: OptionContext, apply: OptionApply, *, order: int) -> None:
    """``context(request, source)`` returns the option's variables, or None when it offers
    nothing for that version; ``apply(request, source, new)`` runs after the new version has
    started (in its own transaction: the new version stands whatever it does) and tells what it
    did with django.contrib.messages."""
    _options[template_name] = NewVersionOption(template_name, context, apply, order)


def _chosen_options() -> list[NewVersionOption]:
    return sorted(_options.values(), key=lambda option: option.order)


def rendered_new_version_options(request, source) -> list[tuple[str, dict]]:
    offered = [(option.template_name, option.context(request, source)) for option in _chosen_options()]
    return [(template_name, context) for template_name, context in offered if context is not None]


def apply_new_version_options(request, source, new) -> None:
    for option in _chosen_options():
        if option.context(request, source) is not None:
            option.apply(request, source, new)
