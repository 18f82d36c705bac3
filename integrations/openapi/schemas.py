"""Summaries of the schemas a foreign data object exchanges: field name, type, required.

Definitions refer to each other (a Customer has Addresses, a Category has child Categories), so
they are followed breadth-first with a visited set, to MAX_SCHEMA_DEPTH levels and at most
MAX_SCHEMAS_PER_PROPOSAL summaries; whatever a limit cuts off is marked `truncated`. Only local
references exist by now (refs.py took the others out), and they are resolved here without any
library.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from .limits import MAX_FIELDS_PER_DOCUMENT, MAX_FIELDS_PER_SCHEMA, MAX_SCHEMA_DEPTH, MAX_SCHEMAS_PER_PROPOSAL
from .refs import MAX_REF_HOPS, Parts, resolve_local
from .results import SchemaField, SchemaSummary, format_location


def follow(document: dict[str, Any], node: Any, parts: Parts) -> tuple[Any, Parts, str]:
    """Resolve `node` through local `$ref`s: (target, its location, the last definition name)."""
    name = ""
    for _ in range(MAX_REF_HOPS):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node, parts, name
        try:
            node = resolve_local(document, ref)
        except KeyError:
            return {}, parts, name
        tokens = ref[2:].split("/")
        parts = tuple(token.replace("~1", "/").replace("~0", "~") for token in tokens)
        name = str(parts[-1])
    return {}, parts, name


class SchemaIndex:
    """What all proposals of one document share: merged fields per schema, and a field budget.

    Many objects exchange the same definitions (an Address in Customers, Orders, Carts...):
    each schema's fields are merged once, and the fields listed over the whole document are
    bounded, so no document, however built, makes the proposals slow.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.fields_left = MAX_FIELDS_PER_DOCUMENT
        # id(schema) -> (schema, fields); holding the schema keeps its id from being reused.
        self._properties: dict[int, tuple[Any, list[tuple[str, Any, bool]]]] = {}

    def properties(self, schema: dict[str, Any]) -> list[tuple[str, Any, bool]]:
        cached = self._properties.get(id(schema))
        if cached is None:
            cached = self._properties[id(schema)] = (schema, _properties(self.document, schema))
        return cached[1]

    def has_fields(self, schema: dict[str, Any]) -> bool:
        return bool(self.properties(schema))


class SchemaCollector:
    """Collects the summaries of one proposal, each definition once."""

    def __init__(self, index: SchemaIndex) -> None:
        self.index = index
        self.document = index.document
        self.summaries: dict[str, SchemaSummary] = {}
        self._queue: deque[tuple[str, Any, Parts, int]] = deque()

    def add(self, schema: Any, parts: Parts, fallback_name: str) -> None:
        """Add a schema an operation sends or receives; a list of X counts as X."""
        target, target_parts, name = follow(self.document, schema, parts)
        if isinstance(target, dict) and target.get("type") == "array":
            items = target.get("items")
            if isinstance(items, dict):
                target, target_parts, name = follow(self.document, items, (*target_parts, "items"))
        if not isinstance(target, dict) or not self.index.has_fields(target):
            return
        self._enqueue(name or fallback_name, target, target_parts, depth=0)

    def result(self) -> tuple[SchemaSummary, ...]:
        while self._queue and len(self.summaries) < MAX_SCHEMAS_PER_PROPOSAL:
            name, schema, parts, depth = self._queue.popleft()
            if name not in self.summaries:
                self.summaries[name] = self._summarise(name, schema, parts, depth)
        return tuple(self.summaries.values())

    def _enqueue(self, name: str, schema: dict[str, Any], parts: Parts, depth: int) -> bool:
        if name in self.summaries or any(queued[0] == name for queued in self._queue):
            return True
        if depth > MAX_SCHEMA_DEPTH or len(self.summaries) + len(self._queue) >= MAX_SCHEMAS_PER_PROPOSAL:
            return False
        self._queue.append((name, schema, parts, depth))
        return True

    def _summarise(self, name: str, schema: dict[str, Any], parts: Parts, depth: int) -> SchemaSummary:
        fields: list[SchemaField] = []
        truncated = False
        for field_name, prop, required in self.index.properties(schema):
            if len(fields) == MAX_FIELDS_PER_SCHEMA or self.index.fields_left <= 0:
                truncated = True
                break
            self.index.fields_left -= 1
            label, complete = self._type_label(prop, depth, f"{name}.{field_name}", (*parts, "properties", field_name))
            truncated = truncated or not complete
            fields.append(SchemaField(name=field_name, type=label, required=required))
        return SchemaSummary(
            name=name, location=format_location(parts), fields=tuple(fields), truncated=truncated, nested=depth > 0
        )

    def _type_label(self, prop: Any, depth: int, inline_name: str, inline_parts: Parts) -> tuple[str, bool]:
        """`string (date-time)`, `Address`, `array of Address`; False when a limit cut it off.

        A definition with fields, or an inline object with fields (named `Order.billing`), gets
        its own summary one level deeper, and the label names it.
        """
        target, parts, name = follow(self.document, prop, inline_parts)
        if not isinstance(target, dict):
            return "any", True
        kind = target.get("type")
        if kind == "array" and isinstance(target.get("items"), dict):
            inner, complete = self._type_label(target["items"], depth, inline_name, (*parts, "items"))
            return f"array of {inner}", complete
        if self.index.has_fields(target):
            label = name or inline_name
            return label, self._enqueue(label, target, parts, depth + 1)
        if not isinstance(kind, str):
            kind = "object" if "properties" in target or "additionalProperties" in target else "any"
        detail = target.get("format") if isinstance(target.get("format"), str) else name
        return (f"{kind} ({detail})" if detail else kind), True


def _properties(document: dict[str, Any], schema: dict[str, Any]) -> list[tuple[str, Any, bool]]:
    """(name, schema, required) of a schema's properties, its allOf parts merged in.

    allOf is how 2.0 documents express inheritance (a Customer is a Person plus fields), so the
    parts' fields belong to the summary itself rather than to nested summaries.
    """
    found: dict[str, Any] = {}
    required: set[str] = set()
    seen: set[int] = set()
    pending = [schema]
    while pending and len(seen) <= MAX_SCHEMAS_PER_PROPOSAL:
        node, _, _ = follow(document, pending.pop(0), ())
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node.get("required"), list):
            required.update(str(name) for name in node["required"])
        if isinstance(node.get("properties"), dict):
            found.update((str(name), prop) for name, prop in node["properties"].items())
        if isinstance(node.get("allOf"), list):
            pending.extend(node["allOf"])
    return [(name, prop, name in required) for name, prop in found.items()]
