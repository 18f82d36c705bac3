"""A path into a sanitised document, standing in for jsonschema-path's SchemaPath in the semantic checks.

openapi-spec-validator's semantic checks (unique operation ids, path parameters, `required`
names, defaults that fit their schema) walk the document through SchemaPath, which resolves
every access again from the root through a prefix cache and Protocol checks: about 2 ms per
operation, most of a 5,000-path document's validation. The checks only read the document, and
refs.py has already left nothing but local references that resolve (no rings), so the same
walk over plain dicts, following `$ref` the way SchemaPath does, gives the same answers at a
small fraction of the cost (benchmarks/openapi_large.py).

Only the part of SchemaPath's interface those checks use is here; what a malformed node makes
SchemaPath raise (KeyError, TypeError) it raises too.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .refs import resolve_local

_NOT_SET = object()


def follow_references(document: Any, node: Any, known: dict[str, Any] | None = None) -> Any:
    """The node a chain of `$ref`s leads to (SchemaPath's rule: a dict with a string `$ref`).

    `known` remembers where each reference led, for a walk that meets the same ones often.
    """
    while isinstance(node, dict) and isinstance(ref := node.get("$ref"), str):
        if known is None:
            node = resolve_local(document, ref)
        elif ref in known:
            node = known[ref]
        else:
            node = known[ref] = resolve_local(document, ref)
    return node


@dataclass(frozen=True)
class Resolved:
    """What SchemaPath.resolve() yields: the node's contents and a resolver for its references."""

    contents: Any
    resolver: Any


@dataclass(frozen=True)
class _Walk:
    document: Any
    resolver: Any
    known: dict[str, Any]


class DocumentPath:
    """A node of the document (its references followed) and the keys that lead to it."""

    __slots__ = ("_key", "_parent", "_value", "_walk")

    def __init__(self, walk: _Walk, value: Any, parent: DocumentPath | None = None, key: Hashable = None) -> None:
        self._walk = walk
        self._value = value
        self._parent = parent
        self._key = key

    @classmethod
    def root(cls, document: Any, resolver: Any) -> DocumentPath:
        walk = _Walk(document, resolver, {})
        return cls(walk, follow_references(document, document, walk.known))

    @property
    def parts(self) -> tuple[Hashable, ...]:
        """The keys from the root, spelled out only when asked (for an error's location)."""
        keys = []
        path: DocumentPath | None = self
        while path is not None and path._parent is not None:
            keys.append(path._key)
            path = path._parent
        return tuple(reversed(keys))

    def _child(self, key: Hashable) -> DocumentPath:
        node = self._value
        if type(node) is dict or isinstance(node, dict):
            value = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            value = node[key]
        else:
            raise KeyError(key)
        if isinstance(value, dict) and "$ref" in value:
            value = follow_references(self._walk.document, value, self._walk.known)
        return DocumentPath(self._walk, value, self, key)

    def __truediv__(self, key: Hashable) -> DocumentPath:
        return self._child(key)

    def __contains__(self, key: object) -> bool:
        node = self._value
        if isinstance(node, dict):
            return key in node
        if isinstance(node, list):
            return isinstance(key, int) and 0 <= key < len(node)
        return False

    def keys(self) -> Any:
        node = self._value
        if isinstance(node, dict):
            return node.keys()
        if isinstance(node, list):
            return range(len(node))
        raise KeyError(self._key)

    def items(self) -> Iterator[tuple[Hashable, DocumentPath]]:
        for key in self.keys():
            yield key, self._child(key)

    def __iter__(self) -> Iterator[DocumentPath]:
        for key in self.keys():
            yield self._child(key)

    def __getitem__(self, key: Hashable) -> Any:
        """A child that is a dict or a list as a path, any other child as its value (as SchemaPath)."""
        child = self._child(key)
        return child if isinstance(child._value, dict | list) else child._value

    def read_value(self) -> Any:
        return self._value

    def read_str(self, default: Any = _NOT_SET) -> Any:
        value = self._value
        if not isinstance(value, str):
            raise TypeError(f"Expected a string value, got {type(value)}")
        return value

    @contextmanager
    def resolve(self) -> Iterator[Resolved]:
        # Every reference left is local to the document, so the root's resolver finds them all.
        yield Resolved(self._value, self._walk.resolver)
