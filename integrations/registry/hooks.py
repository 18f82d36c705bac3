"""What higher apps do when the registry changes, without this app naming them.

A new version of an application makes every integration of it that does not support the version
fall behind (DOMAIN, Registry). The scoring app turns that into a notice to the integrators; it
registers here from its AppConfig.ready, and the registry's actions call `version_added` once
the version is committed.
"""

from collections.abc import Callable

VersionAdded = Callable[[int], None]

_version_added: dict[str, VersionAdded] = {}


def register_version_added(key: str, hook: VersionAdded) -> None:
    """``hook(application_version_id)`` runs after the transaction that added the version has
    committed. Registering a key again (an AppConfig.ready run twice) replaces it."""
    _version_added[key] = hook


def version_added(application_version_id: int) -> None:
    for hook in list(_version_added.values()):
        hook(application_version_id)
