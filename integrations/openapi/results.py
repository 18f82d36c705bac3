"""What an analysis produces: plain frozen dataclasses that survive a JSON round trip.

The Celery task stores `Analysis.to_dict()` and the page rebuilds it with `Analysis.from_dict()`,
so the result of a background import is the same object as an in-process one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

# Bump when the shape of to_dict() changes, so stored results can be told apart.
RESULT_FORMAT = 1

_PLAIN_KEY = re.compile(r"[^.\[\]\s\"']+")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def plain(value: Any, *, as_json: bool = False) -> Any:
    """dataclasses.asdict() without its deep copies: an import's results hold tens of thousands
    of fields, and asdict() spent seconds copying strings that cannot change. With `as_json`,
    tuples become lists, as they come back from a JSON field."""
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(kind):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    if names is not None:
        return {name: plain(getattr(value, name), as_json=as_json) for name in names}
    if kind is tuple or kind is list:
        return (list if as_json else kind)(plain(item, as_json=as_json) for item in value)
    if kind is dict:
        return {key: plain(item, as_json=as_json) for key, item in value.items()}
    return value


def format_location(parts: Iterable[str | int]) -> str:
    """Write a path into the document the way a person reads it.

    Keys are joined with dots and list indexes are bracketed:
    `paths./customers.get.parameters[0].schema`. A key that contains a dot, a bracket, a quote
    or whitespace (`/v1/orders.json`, `application/json` is fine) is bracketed and quoted:
    `paths["/v1/orders.json"].get`. The empty string stands for the whole document.
    """
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part)}]"
    return text


@dataclass(frozen=True)
class Problem:
    """One error in the document: what is wrong, where, and (for the common ones) what to do.

    `kind` sorts problems for the page: "external-ref", "missing-ref", "circular-ref",
    "schema" (reported by openapi-spec-validator), "timeout" or "validator".
    """

    message: str
    location: str
    hint: str = ""
    kind: str = "schema"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Problem:
        return cls(
            message=data["message"],
            location=data["location"],
            hint=data.get("hint", ""),
            kind=data.get("kind", "schema"),
        )


@dataclass(frozen=True)
class SchemaField:
    """A field of a schema as the mapping editor shows it: `type` is `string`, `array of Address`..."""

    name: str
    type: str
    required: bool

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SchemaField:
        return cls(name=data["name"], type=data["type"], required=data["required"])


@dataclass(frozen=True)
class SchemaSummary:
    """A schema a foreign data object exchanges.

    `name` is the definition's name, or a made-up one for an inline schema
    ("POST /customers body"); `location` says where it is written. `nested` is set for a schema
    reached through another one's fields rather than sent or received by an operation.
    `truncated` is set when its fields, or the schemas they lead to, were cut at a limit of
    limits.py.
    """

    name: str
    location: str
    fields: tuple[SchemaField, ...]
    truncated: bool = False
    nested: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SchemaSummary:
        return cls(
            name=data["name"],
            location=data["location"],
            fields=tuple(SchemaField.from_dict(f) for f in data["fields"]),
            truncated=data.get("truncated", False),
            nested=data.get("nested", False),
        )


@dataclass(frozen=True)
class ProposedPath:
    """One path of the third party's API with the methods (upper case) the object uses on it."""

    path: str
    methods: tuple[str, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProposedPath:
        return cls(path=data["path"], methods=tuple(data["methods"]))


@dataclass(frozen=True)
class Proposal:
    """A proposed foreign data object: a group of endpoints the integrator may accept.

    `key` is stable across re-imports of the same document (a slug of the tag or path segment
    the group came from) so `diff()` can match old and new proposals. `schemas` lists first the
    schemas the operations send or receive, then the definitions those refer to.
    """

    key: str
    name: str
    source: str  # "tag" or "path"
    paths: tuple[ProposedPath, ...]
    schemas: tuple[SchemaSummary, ...] = ()

    @property
    def operations(self) -> frozenset[tuple[str, str]]:
        """(METHOD, path) pairs, for comparisons."""
        return frozenset((method, p.path) for p in self.paths for method in p.methods)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Proposal:
        return cls(
            key=data["key"],
            name=data["name"],
            source=data["source"],
            paths=tuple(ProposedPath.from_dict(p) for p in data["paths"]),
            schemas=tuple(SchemaSummary.from_dict(s) for s in data.get("schemas", ())),
        )


@dataclass(frozen=True)
class PathChange:
    """An operation a re-import adds or removes, with the key of the object it belongs to."""

    key: str
    path: str
    method: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PathChange:
        return cls(key=data["key"], path=data["path"], method=data["method"])


@dataclass(frozen=True)
class ProposalDiff:
    """What changed between two imports; see proposal.diff()."""

    objects_added: tuple[str, ...] = ()
    objects_removed: tuple[str, ...] = ()
    paths_added: tuple[PathChange, ...] = ()
    paths_removed: tuple[PathChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.objects_added or self.objects_removed or self.paths_added or self.paths_removed)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProposalDiff:
        return cls(
            objects_added=tuple(data.get("objects_added", ())),
            objects_removed=tuple(data.get("objects_removed", ())),
            paths_added=tuple(PathChange.from_dict(c) for c in data.get("paths_added", ())),
            paths_removed=tuple(PathChange.from_dict(c) for c in data.get("paths_removed", ())),
        )


@dataclass(frozen=True)
class Timings:
    """Seconds spent per stage. Validation and proposals run at once, so total < the sum."""

    load: float = 0.0
    validate: float = 0.0
    propose: float = 0.0
    total: float = 0.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Timings:
        return cls(**{name: float(data.get(name, 0.0)) for name in ("load", "validate", "propose", "total")})


@dataclass(frozen=True)
class Analysis:
    """Everything the portal learns from one uploaded document.

    `refused` is None, or the plain-language reason the document was not analysed at all (too
    big, not text, unreadable, OpenAPI 3.x...). A document that is analysed may still have
    `errors`; the Compatible rule needs none, while the import only needs its paths.
    """

    format: str  # "json", "yaml" or "" when not even that could be told
    version: str  # the value of `swagger` or `openapi`, "" when absent
    refused: str | None
    errors: tuple[Problem, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    path_count: int = 0
    operation_count: int = 0
    title: str = ""
    timings: Timings = field(default_factory=Timings)

    @property
    def is_valid(self) -> bool:
        """True when the document is an OpenAPI 2.0 document without a single error."""
        return self.refused is None and not self.errors

    def to_dict(self) -> dict[str, Any]:
        data = plain(self)
        data["result_format"] = RESULT_FORMAT
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Analysis:
        return cls(
            format=data["format"],
            version=data["version"],
            refused=data["refused"],
            errors=tuple(Problem.from_dict(p) for p in data.get("errors", ())),
            proposals=tuple(Proposal.from_dict(p) for p in data.get("proposals", ())),
            path_count=data.get("path_count", 0),
            operation_count=data.get("operation_count", 0),
            title=data.get("title", ""),
            timings=Timings.from_dict(data.get("timings", {})),
        )
