"""The structural pass: a document against the official Swagger 2.0 JSON Schema.

Two validators of the same schema (the copy openapi-spec-validator ships, read from the
installed package):

- jsonschema-rs, compiled, finds whether and where the document breaks the schema: tens of
  milliseconds for a 5,000-path document, where the pure-Python jsonschema takes 15 s or more;
- jsonschema, pure Python, explains what it found. hints.py words its errors (the failures
  below a oneOf, the schema an extra key broke), so the messages stay what they were.

The Python validator only sees the entries of `paths`, `definitions`, `parameters` and
`responses` the fast one flagged (and every other top-level field, all small). The schema checks
each entry of those sections on its own, whatever the others hold, so its errors there are the
errors it would find in the whole document, in the same order; a valid document never reaches
it. The two agree on what the Swagger 2.0 schema asks (draft 4 types, patterns that are plain
regular expressions, formats left unchecked by both); tests/integrations/openapi
compares them on the corpus and on broken documents. jsonschema-rs reads NaN and the
infinities as null, which neither schema allows anywhere a number is refused, so it can only
flag more than jsonschema, never less; a value it cannot read at all means the Python validator
sees the whole document.

The semantic checks ask the same question of every schema in the document (is it a valid
draft 4 schema, its patterns Python regular expressions?): `plainly_valid_schema` answers the
common "yes" quickly, and leaves the explanation of a "no" to the Python validator.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import jsonschema_rs
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator

# Top-level fields whose entries the schema checks independently of each other.
SECTIONS = ("paths", "definitions", "parameters", "responses")


@functools.cache
def swagger_2_schema() -> dict[str, Any]:
    """The official Swagger 2.0 JSON Schema (draft 4), as openapi-spec-validator ships it."""
    resource = files("openapi_spec_validator") / "resources" / "schemas" / "v2.0" / "schema.json"
    return json.loads(resource.read_text(encoding="utf-8"))


@functools.cache
def _fast() -> Any:
    # Formats are not asserted: the Python validator is built without a format checker. The
    # draft 4 meta-schema the schema refers to is built into jsonschema-rs: nothing is fetched.
    return jsonschema_rs.Draft4Validator(swagger_2_schema(), validate_formats=False)


@functools.cache
def _explaining() -> Draft4Validator:
    # Built here, not taken from openapi-spec-validator, which switches its own to a
    # jsonschema-rs wrapper (errors without their schema or context) once that is installed.
    return Draft4Validator(swagger_2_schema())


@functools.cache
def _fast_meta() -> Any:
    # The meta-schema's only format is `regex`, checked by plainly_valid_schema itself.
    return jsonschema_rs.Draft4Validator(OAS30Validator.META_SCHEMA, validate_formats=False)


def prepare() -> None:
    """Compile the validators (before forking, so every child shares them)."""
    _fast()
    _explaining()
    _fast_meta()


def plainly_valid_schema(schema: Any) -> bool:
    """True when `schema` certainly passes OAS30Validator.check_schema; False when it may not."""
    try:
        if not _fast_meta().is_valid(schema):
            return False
    except ValueError:
        return False
    return _patterns_compile(schema)


def _patterns_compile(node: Any) -> bool:
    """Every string under a `pattern` key compiles as a Python regular expression (what the
    meta-schema's `regex` format asks, and jsonschema-rs was told not to check)."""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            pattern = node.get("pattern")
            if isinstance(pattern, str) and not _compiles(pattern):
                return False
            stack.extend(value for value in node.values() if isinstance(value, dict | list))
        elif isinstance(node, list):
            stack.extend(value for value in node if isinstance(value, dict | list))
    return True


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def structural_errors(document: dict[str, Any]) -> Iterator[ValidationError]:
    """jsonschema's errors for the document against the Swagger 2.0 schema, in jsonschema's order."""
    flagged = _flagged_entries(document)
    if flagged is None:
        return
    yield from _explaining().iter_errors(_restricted(document, flagged))


def _flagged_entries(document: dict[str, Any]) -> dict[str, set[Any] | None] | None:
    """Per section, the keys of its entries with an error (None: check the whole section);
    None for a valid document."""
    validator = _fast()
    try:
        if validator.is_valid(document):
            return None
        errors = list(validator.iter_errors(document))
    except ValueError:  # a value jsonschema-rs cannot read
        return dict.fromkeys(SECTIONS)
    flagged: dict[str, set[Any] | None] = {section: set() for section in SECTIONS}
    for error in errors:
        where = list(error.instance_path)
        if not where or where[0] not in flagged:
            continue
        keys = flagged[where[0]]
        if len(where) == 1:
            flagged[where[0]] = None
        elif keys is not None:
            keys.add(where[1])
    return flagged


def _restricted(document: dict[str, Any], flagged: dict[str, set[Any] | None]) -> dict[str, Any]:
    """The document with only the flagged entries of each section, in the document's order."""
    restricted = dict(document)
    for section, keys in flagged.items():
        entries = document.get(section)
        if keys is not None and isinstance(entries, dict):
            restricted[section] = {key: value for key, value in entries.items() if key in keys}
    return restricted
