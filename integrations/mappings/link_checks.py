"""What a link to the data model must agree with, checked by the link actions under their lock.

A foreign data object an OpenAPI import proposed uses only the methods its document has on the
object's paths: ticking another one would promise an endpoint the third party does not offer.
An object declared by hand has no document; its typed endpoints, when they name methods, are
held to the same rule.

A webhook scope announces changes of a record the integration exchanges: linked to a collection
and direction, that direction must be one the integration's data objects of that collection
support. While no object is linked to the collection yet there is nothing to contradict (the
Certified rules then ask for the object's directions and methods).
"""

from __future__ import annotations

from collections.abc import Sequence

from integrations.models import Direction, ForeignDataObject, Integration, MappingCollection, ObjectState


def _listing(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def object_methods(obj: ForeignDataObject) -> list[str]:
    """The methods the object's paths have, in the usual order (empty: not known)."""
    found = {method.upper() for entry in obj.paths for method in entry.get("methods", [])}
    order = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    return [method for method in order if method in found]


def methods_problem(obj: ForeignDataObject, to_ipaas_methods: Sequence[str], from_ipaas_methods: Sequence[str]) -> str:
    """Why these methods cannot be ticked for the object ("" when they can)."""
    known = object_methods(obj)
    if not known:
        return ""
    where = "its endpoints" if obj.declared_by_hand else "the OpenAPI document"
    problems = []
    for direction, methods in ((Direction.TO_IPAAS, to_ipaas_methods), (Direction.FROM_IPAAS, from_ipaas_methods)):
        missing = [method for method in methods if method not in known]
        if missing:
            problems.append(f"{_listing(missing)} {direction.label}")
    if not problems:
        return ""
    return (
        f"{obj.name} has no such method in {where}: untick {'; '.join(problems)}. "
        f"Its paths have {_listing(known)} only."
    )


def scope_direction_problem(
    integration: Integration, scope_name: str, collection: MappingCollection, direction: str
) -> str:
    """Why the scope cannot be linked to this collection and direction ("" when it can)."""
    objects = list(
        ForeignDataObject.objects.filter(
            integration=integration, state=ObjectState.ACCEPTED, link__collection=collection
        ).select_related("link")
    )
    if not objects:
        return ""
    wanted = Direction(direction)
    if any(dict(obj.link.directions).get(wanted) for obj in objects):
        return ""
    supported = "; ".join(
        f"{obj.name}: {', '.join(d.label for d, _ in obj.link.directions) or 'no direction'}" for obj in objects
    )
    return (
        f"{scope_name} cannot be linked to {collection.name} {wanted.label}: no data object of {collection.name} "
        f"supports {wanted.label} ({supported}). Link the scope {wanted.opposite.label}, or tick the "
        f"{wanted.label} methods of the object first."
    )
