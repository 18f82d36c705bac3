"""Turn the validator's errors into sentences an integrator can act on.

jsonschema's messages quote whole subtrees of the document (`{'in': 'body', ...} is not valid
under any of the given schemas`) and, for `oneOf`, point at the outermost node. Here the error
is traced to its most likely cause (the deepest failure below it), worded briefly, and given a
hint for the mistakes real documents make: 3.0 keywords in a 2.0 document (`oneOf`, `anyOf`,
`nullable`), misspelt fields, a `host` with a scheme, `type: file` outside a form parameter.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

from .limits import MAX_QUOTE_CHARS
from .refs import Parts
from .results import Problem, format_location

_NOT_IN_2_0 = "OpenAPI 2.0 has no `{key}` (it came with OpenAPI 3). "
KEY_HINTS = {
    "oneOf": _NOT_IN_2_0 + "Use one schema that covers every alternative (or `allOf` for a combination); "
    "keep the alternatives for readers as `x-oneOf` if they matter.",
    "anyOf": _NOT_IN_2_0 + "Use one schema that covers every alternative; keep them for readers as `x-anyOf`.",
    "nullable": _NOT_IN_2_0 + "Many 2.0 tools read the extension `x-nullable: true` instead.",
    "not": _NOT_IN_2_0 + "Describe the allowed values positively, for example with `enum`.",
    "const": "OpenAPI 2.0 has no `const`; use `enum` with a single value.",
    "examples": "A 2.0 schema has `example` (one value), not `examples`.",
    "patternProperties": "OpenAPI 2.0 has no `patternProperties`; use `additionalProperties` with a schema.",
    "deprecated": "A 2.0 schema cannot be `deprecated` (only an operation can); use `x-deprecated`.",
    "writeOnly": _NOT_IN_2_0 + "Use `x-writeOnly`, or describe it in the description.",
    "requestBody": _NOT_IN_2_0 + "In 2.0 a request body is a parameter with `in: body` and a `schema`.",
    "content": _NOT_IN_2_0 + "In 2.0 a response has a `schema`, and the media types are the operation's `produces`.",
    "components": "This part of the document is written for OpenAPI 3; 2.0 keeps schemas in `definitions`.",
    "servers": "This part of the document is written for OpenAPI 3; 2.0 uses `host`, `basePath` and `schemes`.",
}
_GENERIC_EXTRA = (
    "Only the fields of the OpenAPI 2.0 specification are allowed here, plus extensions whose names start "
    "with `x-`. Rename it (`x-{key}`) or remove it."
)
_HOST_HINT = (
    "`host` is the bare host name with an optional port (`api.example.com:8443`): put the scheme in "
    "`schemes` and the path in `basePath`, and leave placeholders such as `<tenant-id>` out."
)
_CLASS_HINTS = {
    "DuplicateOperationIDError": "Every `operationId` must be unique in the document: generated clients use it "
    "as a function name.",
    "UnresolvableParameterError": "Every `{placeholder}` of the path needs a parameter with `in: path` and that "
    "name, and every such parameter needs its placeholder.",
    "ParameterDuplicateError": "A parameter is identified by its `name` and `in`; declare each pair once.",
    "ExtraParametersError": "Every name listed in `required` must be a property of the schema "
    "(or of the schemas of its `allOf`).",
}
# When the failures below a oneOf are equally deep, the first kind here explains best.
_VALIDATOR_ORDER = {"additionalProperties": 0, "enum": 1, "type": 2, "required": 3}


def describe(error: ValidationError, parts: Parts) -> Problem:
    """The Problem for one validator error found at `parts`."""
    cause, cause_parts = likely_cause(error, parts)
    message, hint = explain(cause, cause_parts)
    return Problem(message=_short(message, 400), location=format_location(cause_parts), hint=hint, kind="schema")


def likely_cause(error: ValidationError, parts: Parts) -> tuple[ValidationError, Parts]:
    """The failure below a oneOf/anyOf error most likely to be the real mistake, and where it is.

    Each alternative of the 2.0 schema fails for a node of another kind, and those failures
    explain nothing: a body parameter is not a `$ref`, not `in: query`, not `type: file`, not a
    list. The deepest failure left is the most specific; if none is left, the deepest of all.
    """
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return error, parts
    leaves = list(_leaves(error))
    if not leaves:
        return error, parts
    telling = [leaf for leaf in leaves if not _other_kind(leaf)] or leaves
    depth = len(error.absolute_path)
    # The last key breaks ties by place: jsonschema's order of the failures below a oneOf
    # follows string hashing, which changes from one process to the next.
    best = min(
        telling,
        key=lambda leaf: (
            -len(leaf.absolute_path),
            _VALIDATOR_ORDER.get(str(leaf.validator), 9),
            [str(part) for part in leaf.absolute_path],
        ),
    )
    return best, (*parts, *list(best.absolute_path)[depth:])


def _other_kind(leaf: ValidationError) -> bool:
    """True for a failure that only says the node is of another kind than this alternative."""
    if leaf.validator == "required":
        return leaf.validator_value == ["$ref"]
    if leaf.validator == "enum":
        return bool(leaf.path) and leaf.path[-1] in ("in", "type")
    return leaf.validator == "type"


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    stack = list(error.context or ())
    while stack:
        child = stack.pop()
        if child.context:
            stack.extend(child.context)
        else:
            yield child


def explain(error: ValidationError, parts: Parts) -> tuple[str, str]:
    """A short message and a hint ("" when there is nothing useful to add)."""
    kind = type(error).__name__
    if kind in _CLASS_HINTS:
        return error.message, _CLASS_HINTS[kind]
    explainer = _EXPLAINERS.get(str(error.validator))
    if explainer is not None:
        return explainer(error, parts)
    return error.message, ""


def _additional_properties(error: ValidationError, parts: Parts) -> tuple[str, str]:
    extras = _unexpected_keys(error)
    if not extras:
        return error.message, ""
    shown = ", ".join(f"`{_clip(key)}`" for key in extras)
    verb = "is not an OpenAPI 2.0 field" if len(extras) == 1 else "are not OpenAPI 2.0 fields"
    key = extras[0]
    return f"{shown} {verb} here.", _extra_key_hint(key, error.schema)


def _extra_key_hint(key: str, schema: Any) -> str:
    if key in KEY_HINTS:
        return KEY_HINTS[key].replace("{key}", key)
    allowed = list(schema.get("properties", {})) if isinstance(schema, dict) else []
    lowered = key.lower()
    close = [name for name in allowed if len(lowered) >= 3 and name.startswith(lowered)]
    close = close or difflib.get_close_matches(lowered, allowed, n=1)
    if close:
        return f"Did you mean `{close[0]}`? Field names are case-sensitive."
    return _GENERIC_EXTRA.replace("{key}", _clip(key))


def _unexpected_keys(error: ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance if isinstance(error.instance, dict) else {}
    known = set(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    return [str(key) for key in instance if key not in known and not any(p.search(str(key)) for p in patterns)]


def _type(error: ValidationError, parts: Parts) -> tuple[str, str]:
    expected = error.validator_value
    names = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in names)
    field = _field_name(parts)
    hint = ""
    if "string" in names and isinstance(error.instance, bool | int | float):
        hint = (
            f"Put the value in quotes: unquoted, YAML reads {_clip(_yaml_scalar(error.instance))} as "
            f"{_kind_of(error.instance)}."
        )
    return f"{field} must be {wanted}, but it is {_kind_of(error.instance)}.", hint


def _yaml_scalar(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else repr(value)


def _enum(error: ValidationError, parts: Parts) -> tuple[str, str]:
    field = _field_name(parts)
    allowed = ", ".join(_clip(repr(value)) for value in error.validator_value[:12])
    message = f"{field} is {_clip(repr(error.instance))}, which is not one of the allowed values: {allowed}."
    if parts[-1:] == ("swagger",):
        return message, 'Write `swagger: "2.0"` with the quotes: unquoted, YAML reads 2.0 as a number.'
    if error.instance == "file" and parts[-1:] == ("type",):
        return message, "`type: file` is only allowed for a parameter with `in: formData`, not inside a schema."
    return message, ""


def _pattern(error: ValidationError, parts: Parts) -> tuple[str, str]:
    field = _field_name(parts)
    message = f"{field} {_clip(repr(error.instance))} does not have the form it needs (`{error.validator_value}`)."
    return message, _HOST_HINT if parts[-1:] == ("host",) else ""


def _required(error: ValidationError, parts: Parts) -> tuple[str, str]:
    missing = [
        name for name in error.validator_value if isinstance(error.instance, dict) and name not in error.instance
    ]
    name = missing[0] if missing else str(error.validator_value)
    where = f" in {_field_name(parts)}" if parts else ""
    hint = "Every operation needs `responses`, with at least one response." if name == "responses" else ""
    return f"The required field `{_clip(name)}` is missing{where}.", hint


def _format(error: ValidationError, parts: Parts) -> tuple[str, str]:
    what = "The default value" if "default" in parts else _field_name(parts)
    message = f"{what} {_clip(repr(error.instance))} is not a valid {error.validator_value}."
    return message, "Give a value of that format, or remove it." if "default" in parts else ""


def _field_name(parts: Parts) -> str:
    for part in reversed(parts):
        if isinstance(part, str):
            return f"`{_clip(part)}`"
    return "This value"


_TYPE_NAMES = {
    "string": "a string",
    "object": "an object",
    "array": "a list",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "null",
}


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    for python_type, name in ((dict, "an object"), (list, "a list"), (str, "a string"), (int | float, "a number")):
        if isinstance(value, python_type):
            return name
    return "null"


def _clip(text: str) -> str:
    return _short(text, MAX_QUOTE_CHARS // 2)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_EXPLAINERS = {
    "additionalProperties": _additional_properties,
    "type": _type,
    "enum": _enum,
    "pattern": _pattern,
    "required": _required,
    "format": _format,
}
