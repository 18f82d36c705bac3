"""Foreign data objects declared by hand on the data model links page, and their removal.

An SDK integration has no OpenAPI document, so this is the only way its objects come to exist; a
Dynamic integration uses it for an object its document does not group well. A declared object is
accepted at once and linked in the same action, so one submit is enough for the Certified rule
"every supported MappingCollection has directions and methods".

Its key is DECLARED_KEY_PREFIX and a slug of its name: import keys are slugs without a colon, so
no proposal can ever claim it, and `declared_by_hand` tells imports, drops and merges to leave it
alone (integrations.openapi.services). Names are unique per integration, case-insensitively: the
check runs under the integration's row lock, and a partial unique constraint on declared objects
backs it, so a double submit declares one object.

Both actions lock the integration row first, as every data model action does, record an audit
row and recompute the tiers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.template.defaultfilters import pluralize

from integrations.mappings import link_checks
from integrations.models import (
    ForeignDataObject,
    ForeignObjectLink,
    Integration,
    MappingCollection,
    ObjectState,
)
from integrations.openapi.proposal import slug
from integrations.openapi.services import KEY_LENGTH, MAX_NAME_LENGTH
from integrations.tiers import engine as tiers
from integrations.workspace.freeze import refuse_if_declarations_frozen
from portal.models import User
from portal.services import ActionRefused, record

CAUSE_DECLARED = "foreign data object declared"
CAUSE_REMOVED = "foreign data object removed"
# The methods an OpenAPI 2.0 path item may have: the import stores the same ones, upper-cased.
ENDPOINT_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
MAX_ENDPOINTS = 200
MAX_PATH_LENGTH = 500
QUOTED = 60  # a bad line is quoted back up to this many characters
_PATH_CHARACTERS = re.compile(r"^/[^\s?#]*$")


class NameTaken(ActionRefused):
    """Another object of the integration has this name; the message is for the name field."""


# --- Endpoints -----------------------------------------------------------------------------


def _quote(text: str) -> str:
    return f"“{text[:QUOTED]}…”" if len(text) > QUOTED else f"“{text}”"


def _endpoint_problem(number: int, parts: list[str]) -> str:
    """Why the parts of one line are not an endpoint ("" when they are)."""
    if len(parts) > 2:
        return (
            f"Line {number}: {_quote(' '.join(parts))} is not one endpoint: write the method and the path, "
            "such as GET /customers, or only the path."
        )
    path = parts[-1]
    if len(parts) == 2 and parts[0].upper() not in ENDPOINT_METHODS:
        known = f"{', '.join(ENDPOINT_METHODS[:-1])} or {ENDPOINT_METHODS[-1]}"
        return f"Line {number}: {_quote(parts[0])} is not an HTTP method: use {known}."
    if len(parts) == 1 and path.upper() in ENDPOINT_METHODS:
        return f"Line {number}: {_quote(path)} has no path: write it after the method, such as GET /customers."
    if not path.startswith("/"):
        return f"Line {number}: the path {_quote(path)} must start with “/”, such as /customers."
    if len(path) > MAX_PATH_LENGTH:
        return f"Line {number}: the path is longer than {MAX_PATH_LENGTH} characters."
    if not _PATH_CHARACTERS.match(path):
        return f"Line {number}: write the path {_quote(path)} without a query string or a fragment."
    return ""


def parse_endpoints(text: str) -> tuple[list[dict], list[str]]:
    """The endpoints typed one per line ("GET /customers", or "/customers" alone), in the shape an
    import stores: [{"path": "/customers", "methods": ["GET"]}], each path once; and a message per
    bad line, naming its number. Blank lines are skipped."""
    methods: dict[str, list[str]] = {}
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        problem = _endpoint_problem(number, parts)
        if problem:
            problems.append(problem)
            continue
        known = methods.setdefault(parts[-1], [])
        if len(parts) == 2 and parts[0].upper() not in known:
            known.append(parts[0].upper())
    if len(methods) > MAX_ENDPOINTS:
        problems.append(f"List at most {MAX_ENDPOINTS} paths for one object.")
    return [{"path": path, "methods": verbs} for path, verbs in methods.items()], problems


# --- Declaring -----------------------------------------------------------------------------


def clean_object_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise NameTaken("Give the object a name, such as Customers.")
    if len(name) > MAX_NAME_LENGTH:
        raise NameTaken(f"A name has at most {MAX_NAME_LENGTH} characters.")
    return name


def _refuse_taken_name(integration: Integration, name: str) -> None:
    taken = integration.foreign_objects.filter(name__iexact=name).first()
    if taken is None:
        return
    if taken.declared_by_hand:
        raise NameTaken(f"This integration already has a data object named “{taken.name}”.")
    raise NameTaken(
        f"The OpenAPI document already proposes a data object named “{taken.name}”: accept it on the "
        "OpenAPI page (and link it here), or give this one another name."
    )


def _free_key(integration: Integration, name: str) -> str:
    """The prefix and the name's slug; "-2", "-3"... when another declared name gave the same slug."""
    base = (ForeignDataObject.DECLARED_KEY_PREFIX + slug(name))[: KEY_LENGTH - 8]
    taken = set(integration.foreign_objects.filter(key__startswith=base).values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def _directions(link: ForeignObjectLink) -> str:
    return "; ".join(f"{d.label}: {', '.join(m)}" for d, m in link.directions) or "no direction"


def declare_foreign_object(
    integration: Integration,
    *,
    acting_user: User,
    name: str,
    paths: Sequence[dict],
    collection: MappingCollection,
    to_ipaas_methods: Sequence[str],
    from_ipaas_methods: Sequence[str],
) -> ForeignDataObject:
    """Create an accepted object declared by hand, linked to `collection` with the methods of each
    direction. NameTaken when the integration has an object of that name (any case)."""
    name = clean_object_name(name)
    if not to_ipaas_methods and not from_ipaas_methods:
        raise ActionRefused("Tick the methods of at least one direction: To iPaaS, From iPaaS or both.")
    with transaction.atomic():
        integration = Integration.objects.lock(integration)
        refuse_if_declarations_frozen(integration)
        _refuse_taken_name(integration, name)
        obj = ForeignDataObject(
            integration=integration,
            key=_free_key(integration, name),
            name=name,
            state=ObjectState.ACCEPTED,
            paths=[{"path": entry["path"], "methods": list(entry["methods"])} for entry in paths],
            declared_by_hand=True,
        )
        problem = link_checks.methods_problem(obj, to_ipaas_methods, from_ipaas_methods)
        if problem:
            raise ActionRefused(problem)
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:  # written without this action's lock; the constraint still holds
            raise NameTaken(f"This integration already has a data object named “{name}”.") from None
        link = ForeignObjectLink.objects.create(
            foreign_object=obj,
            collection=collection,
            to_ipaas_methods=list(to_ipaas_methods),
            from_ipaas_methods=list(from_ipaas_methods),
        )
        record(
            actor=acting_user,
            kind="foreign_object.declared",
            organization=integration.owner,
            target=obj,
            within=integration,
            to_state=collection.name,
            comment=f"{len(obj.paths)} path{pluralize(len(obj.paths))}; {_directions(link)}",
        )
        tiers.recompute(integration, cause=CAUSE_DECLARED)
    return obj


# --- Removing ------------------------------------------------------------------------------


def removal_refused(obj: ForeignDataObject) -> str:
    """Why the object cannot be removed here ("" when it can): only declared objects can."""
    if obj.declared_by_hand:
        return ""
    return (
        f"{obj.name} was proposed by the OpenAPI document: drop it on the OpenAPI page instead "
        "(a later import would only propose it again)."
    )


def remove_foreign_object(obj: ForeignDataObject, *, acting_user: User) -> bool:
    """Delete a declared object and its link. False when it was already removed (nothing is
    done or recorded twice); ActionRefused for an object an import proposed."""
    with transaction.atomic():
        integration = Integration.objects.lock(obj.integration)
        refuse_if_declarations_frozen(integration)
        current = integration.foreign_objects.select_related("link__collection").filter(pk=obj.pk).first()
        if current is None:
            return False
        refusal = removal_refused(current)
        if refusal:
            raise ActionRefused(refusal)
        link = getattr(current, "link", None)
        record(
            actor=acting_user,
            kind="foreign_object.removed",
            organization=integration.owner,
            target=current,
            within=integration,
            from_state=link.collection.name if link else "not linked",
            comment=_directions(link) if link else "",
        )
        current.delete()
        tiers.recompute(integration, cause=CAUSE_REMOVED)
    return True
