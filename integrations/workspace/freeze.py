"""Frozen versions: a general hook that higher apps fill, so this app refuses edits it cannot
explain by itself (a version under certification review, or certified) without naming them.

A freeze checker is a pair of functions: one answers, for many versions at once (with a fixed
number of queries, as the workspace page lists them all), why each frozen one is frozen (a
sentence by version pk; the others absent); the other answers, for an integration, why its
integration-wide declarations (foreign data objects and their links, webhook scopes and their
links, translation tables) are frozen. Every
action that changes what a version's template mappings or tests are, or those declarations,
calls `refuse_if_frozen` or `refuse_if_declarations_frozen` inside its transaction, after
taking the integration's row lock (the same lock a certification action takes), so a request
submitted at the same moment either sees the edit or refuses it.
"""

from collections.abc import Callable

from portal.services import ActionRefused

NEXT_STEP = "Start a new version to change them."

VersionChecker = Callable[[list], dict[int, str]]
IntegrationChecker = Callable[[object], str]
VERSION_CHECKERS: dict[str, VersionChecker] = {}
INTEGRATION_CHECKERS: dict[str, IntegrationChecker] = {}


def register_freeze_checker(code: str, *, version: VersionChecker, integration: IntegrationChecker) -> None:
    """Registers (or replaces, by code) the checkers of a higher app."""
    VERSION_CHECKERS[code] = version
    INTEGRATION_CHECKERS[code] = integration


def frozen_reasons(versions) -> dict[int, str]:
    """Why each frozen version among ``versions`` is frozen, by pk."""
    versions = list(versions)
    reasons: dict[int, str] = {}
    for checker in VERSION_CHECKERS.values():
        for pk, reason in checker(versions).items():
            reasons.setdefault(pk, reason)
    return reasons


def version_frozen_reason(version) -> str:
    return frozen_reasons([version]).get(version.pk, "")


def declarations_frozen_reason(integration) -> str:
    for checker in INTEGRATION_CHECKERS.values():
        if reason := checker(integration):
            return reason
    return ""


def refuse_if_frozen(version) -> None:
    """Refuses a change to the version's template mappings, rows or mapping tests."""
    if reason := version_frozen_reason(version):
        raise ActionRefused(f"{reason} Its template mappings and mapping tests are read-only. {NEXT_STEP}")


def refuse_if_declarations_frozen(integration) -> None:
    """Refuses a change to the integration's foreign data objects, webhook scopes, links or tables."""
    if reason := declarations_frozen_reason(integration):
        raise ActionRefused(
            f"{reason} The integration's foreign data objects, webhook scopes, links and translation "
            f"tables are read-only. {NEXT_STEP}"
        )
