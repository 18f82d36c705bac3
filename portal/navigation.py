"""The links and home-page panels that the apps hand to the portal.

The portal is the lowest layer: its templates name no domain app's URL, template or tag library
(STYLE.md, "Layers point one way"). Each app registers what it shows in the portal's frame from its
AppConfig.ready, so the registry is filled in every process before the first request, and the
portal's templates render whatever is registered, in the order the numbers give.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from django.http import HttpRequest
from django.urls import reverse

Shown = Callable[[HttpRequest], bool]


class LinkPlace(StrEnum):
    MAIN = "main"  # the navigation bar of every page
    ACCOUNT = "account"  # the signed-in person's account menu
    ORGANIZATION = "organization"  # the acting organization's menu, beside the switch to another
    FOOTER = "footer"


class PanelPlace(StrEnum):
    WELCOME = "welcome"  # the home page a visitor sees before signing in
    HOME = "home"  # the home page of a member of the acting organization
    DASHBOARD = "dashboard"  # the integrator's dashboard of its integrations, above the list
    GETTING_STARTED = "getting-started"  # the acting organization's path, step by step, for its kinds


# Who a link or panel is shown to: questions about the request that the portal can answer.
def everyone(request: HttpRequest) -> bool:
    return True


def members(request: HttpRequest) -> bool:
    """Signed in and acting for an organization."""
    return request.user.is_authenticated and getattr(request, "organization", None) is not None


def managers(request: HttpRequest) -> bool:
    """Owners and admins of the acting organization."""
    membership = getattr(request, "membership", None)
    return members(request) and membership is not None and membership.can_manage


def integrators(request: HttpRequest) -> bool:
    """Members of an organization that builds integrations (integrators and application providers)."""
    return members(request) and (request.organization.is_integrator or request.organization.is_provider)


def providers(request: HttpRequest) -> bool:
    return members(request) and request.organization.is_provider


def customers(request: HttpRequest) -> bool:
    return members(request) and request.organization.is_customer


def misps(request: HttpRequest) -> bool:
    return members(request) and request.organization.is_misp


def signed_in(request: HttpRequest) -> bool:
    return request.user.is_authenticated


def staff(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.is_staff


@dataclass(frozen=True)
class Link:
    place: LinkPlace
    label: str
    url_name: str
    order: int
    shown: Shown = everyone


@dataclass(frozen=True)
class Panel:
    place: PanelPlace
    template_name: str
    order: int
    shown: Shown = everyone


@dataclass(frozen=True)
class ShownLink:
    label: str
    url: str
    current: bool


# Keyed so that registering again (an AppConfig.ready run twice) replaces rather than repeats.
_links: dict[tuple[LinkPlace, str], Link] = {}
_panels: dict[tuple[PanelPlace, str], Panel] = {}


def register_link(place: LinkPlace, label: str, url_name: str, *, order: int, shown: Shown = everyone) -> None:
    _links[place, url_name] = Link(place, label, url_name, order, shown)


def register_panel(place: PanelPlace, template_name: str, *, order: int, shown: Shown = everyone) -> None:
    """A template included in the home page with the page's context; it renders its own section."""
    _panels[place, template_name] = Panel(place, template_name, order, shown)


class Navigation:
    """What one request's pages show of the registry; each place is worked out only when a page uses it."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def links(self, place: LinkPlace) -> list[ShownLink]:
        match = getattr(self.request, "resolver_match", None)
        current = match.view_name if match else None
        chosen = sorted((link for link in _links.values() if link.place == place), key=lambda link: link.order)
        return [
            ShownLink(link.label, reverse(link.url_name), link.url_name == current)
            for link in chosen
            if link.shown(self.request)
        ]

    def panels(self, place: PanelPlace) -> list[str]:
        chosen = sorted((panel for panel in _panels.values() if panel.place == place), key=lambda panel: panel.order)
        return [panel.template_name for panel in chosen if panel.shown(self.request)]

    @cached_property
    def main(self) -> list[ShownLink]:
        return self.links(LinkPlace.MAIN)

    @cached_property
    def account(self) -> list[ShownLink]:
        return self.links(LinkPlace.ACCOUNT)

    @cached_property
    def organization(self) -> list[ShownLink]:
        return self.links(LinkPlace.ORGANIZATION)

    @cached_property
    def footer(self) -> list[ShownLink]:
        return self.links(LinkPlace.FOOTER)

    @cached_property
    def welcome_panels(self) -> list[str]:
        return self.panels(PanelPlace.WELCOME)

    @cached_property
    def home_panels(self) -> list[str]:
        return self.panels(PanelPlace.HOME)

    @cached_property
    def dashboard_panels(self) -> list[str]:
        return self.panels(PanelPlace.DASHBOARD)

    @cached_property
    def getting_started_panels(self) -> list[str]:
        return self.panels(PanelPlace.GETTING_STARTED)
