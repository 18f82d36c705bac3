"""Propose foreign data objects from a document's paths, tags and definitions, and compare imports.

The import must work on any document whose paths can be read, valid or not, so everything here
tolerates a malformed document: what is not a mapping where one is expected is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .refs import Parts
from .results import PathChange, Proposal, ProposalDiff, ProposedPath
from .schemas import SchemaCollector, SchemaIndex, follow

# OpenAPI 2.0's operations, in the order the portal lists them.
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")

# Path segments that name no object: versions (v1, V2, v2.1, 2024-10-17, 3.0), API prefixes.
_SKIPPED_SEGMENT = re.compile(r"v\d+(?:[._]\d+)*|\d+(?:[._-]\d+)*|api|apis|rest|latest", re.IGNORECASE)
_EXTENSION = re.compile(r"\.(?:json|xml)$", re.IGNORECASE)
_WORD = re.compile(r"[A-Z]+\d*(?=[A-Z][a-z])|[A-Z]?[a-z]+\d*|[A-Z]+\d*|\d+[a-z]*")
_SUCCESS = re.compile(r"2\d\d|2XX", re.IGNORECASE)


@dataclass
class _Group:
    name: str
    source: str
    methods: dict[str, list[str]] = field(default_factory=dict)  # path -> methods
    collector: SchemaCollector | None = None


def count_paths_and_operations(document: dict[str, Any]) -> tuple[int, int]:
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return 0, 0
    return len(paths), sum(1 for _, _, _ in _operations(document))


def group_label(path: str, operation: dict[str, Any]) -> tuple[str, str]:
    """Which foreign data object an operation belongs to, and why ("tag" or "path").

    The rule: an operation's first tag, when it has one, because providers tag by resource
    ("Customers", "Orders"). Otherwise the first segment of its path that names something:
    segments that are empty, templated (`{id}`), versions (`v1`, `V2`, `2024-10-17`, `3.0`) or
    API prefixes (`api`, `rest`, `latest`) are skipped and a `.json`/`.xml` suffix is dropped,
    so `/v1/customers/{id}/sources` belongs to "customers". With neither, "General".
    A tag that is itself a path (Adobe tags every path with its own path,
    `carts/guest-carts/{cartId}/giftCards`) is read like a path, or every path would be an
    object of its own.
    """
    tags = operation.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], str) and tags[0].strip():
        tag = tags[0].strip()
        if "/" not in tag and "{" not in tag:
            return tag, "tag"
        return _first_segment(tag) or tag, "tag"
    return _first_segment(path) or "General", "path"


def _first_segment(path: str) -> str:
    for segment in path.split("/"):
        segment = _EXTENSION.sub("", segment)
        if segment and "{" not in segment and not _SKIPPED_SEGMENT.fullmatch(segment):
            return segment
    return ""


def humanize(label: str) -> str:
    """A readable name: `customerAccountManagementV1` -> "Customer Account Management V1"."""
    if " " in label.strip() or not label.isascii():
        return label.strip()[:1].upper() + label.strip()[1:]
    words = _WORD.findall(label)
    if not words:
        return label
    return " ".join(word[:1].upper() + word[1:] for word in words)


def slug(label: str) -> str:
    """A stable key: the same tag or segment gives the same key at every re-import."""
    return re.sub(r"[^\w]+", "-", label.lower()).strip("-_") or "object"


def propose(document: dict[str, Any]) -> tuple[Proposal, ...]:
    """One proposal per group of operations, in the order the document first mentions them."""
    groups: dict[str, _Group] = {}
    index = SchemaIndex(document)
    for path, method, operation in _operations(document):
        label, source = group_label(path, operation)
        name = humanize(label)
        group = groups.setdefault(slug(name), _Group(name=name, source=source))
        group.methods.setdefault(path, []).append(method.upper())
        group.collector = group.collector or SchemaCollector(index)
        _collect_schemas(document, group.collector, path, method, operation)
    return tuple(
        Proposal(
            key=key,
            name=group.name,
            source=group.source,
            paths=tuple(ProposedPath(path=path, methods=tuple(methods)) for path, methods in group.methods.items()),
            schemas=group.collector.result() if group.collector else (),
        )
        for key, group in groups.items()
    )


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield str(path), method, item[method]


def _collect_schemas(
    document: dict[str, Any], collector: SchemaCollector, path: str, method: str, operation: dict[str, Any]
) -> None:
    """Add what the operation sends (body, form fields) and receives (2xx responses)."""
    where: Parts = ("paths", path, method)
    title = f"{method.upper()} {path}"
    parameters = list(_parameters(document, path, operation))
    for index, parameter in enumerate(parameters):
        if parameter.get("in") == "body":
            collector.add(parameter.get("schema"), (*where, "parameters", index, "schema"), f"{title} body")
    form = _form_schema(parameters)
    if form is not None:
        collector.add(form, (*where, "parameters"), f"{title} form")
    responses = operation.get("responses")
    if not isinstance(responses, dict):
        return
    for code, response in responses.items():
        if _SUCCESS.fullmatch(str(code)):
            response, response_parts, _ = follow(document, response, (*where, "responses", str(code)))
            if isinstance(response, dict) and response.get("schema") is not None:
                collector.add(response["schema"], (*response_parts, "schema"), f"{title} {code} response")


def _parameters(document: dict[str, Any], path: str, operation: dict[str, Any]) -> Iterator[dict[str, Any]]:
    item = document["paths"][path]
    for parameters in (item.get("parameters"), operation.get("parameters")):
        if isinstance(parameters, list):
            for parameter in parameters:
                resolved, _, _ = follow(document, parameter, ())
                if isinstance(resolved, dict):
                    yield resolved


def _form_schema(parameters: list[dict[str, Any]]) -> dict[str, Any] | None:
    """formData parameters as one object schema, so they summarise like a body."""
    fields = [p for p in parameters if p.get("in") == "formData" and "name" in p]
    if not fields:
        return None
    return {
        "type": "object",
        "properties": {str(p["name"]): p for p in fields},
        "required": [str(p["name"]) for p in fields if p.get("required") is True],
    }


def diff(old: Iterable[Proposal], new: Iterable[Proposal]) -> ProposalDiff:
    """What a re-import changes: objects (by key) and operations (method and path) added or removed.

    An operation is added when no old object had it, removed when no new object has it; one
    that only moved to another object (its tag changed) is neither, but the objects show it.
    """
    old, new = list(old), list(new)
    old_keys, new_keys = {p.key for p in old}, {p.key for p in new}
    old_ops = {op: p.key for p in old for op in sorted(p.operations)}
    new_ops = {op: p.key for p in new for op in sorted(p.operations)}
    return ProposalDiff(
        objects_added=tuple(p.key for p in new if p.key not in old_keys),
        objects_removed=tuple(p.key for p in old if p.key not in new_keys),
        paths_added=_changes(new_ops, old_ops),
        paths_removed=_changes(old_ops, new_ops),
    )


def _changes(present: dict[tuple[str, str], str], absent: dict[tuple[str, str], str]) -> tuple[PathChange, ...]:
    changed = [(operation, key) for operation, key in present.items() if operation not in absent]
    return tuple(
        PathChange(key=key, path=path, method=method)
        for (method, path), key in sorted(changed, key=lambda item: (item[0][1], item[0][0]))
    )
