"""Validate a sanitised document with openapi-spec-validator's 2.0 validator, listing every error.

The stock validator stops being useful in four ways this module fixes: it may fetch what a
`$ref` points to (here every scheme's handler refuses), its keyword checks raise errors without
saying where (here each keyword validator stamps the location it was working on), it keeps
every validator it ever ran in an lru_cache (here `iter_errors` is not cached), and it is slow
on large documents: its structural pass is pure-Python jsonschema and its semantic checks walk
the document through jsonschema-path, with lists where they look up what they have seen. Here
the structural pass is structure.py's, and the same semantic checks walk a DocumentPath with
sets: a tenth of the time or less on large documents (benchmarks/openapi_large.py).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, NoReturn

from jsonschema.exceptions import ValidationError
from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV2SpecValidator
from openapi_spec_validator.validation import keywords

from . import structure
from .document_path import DocumentPath
from .hints import describe
from .limits import MAX_PROBLEMS
from .refs import Parts
from .results import Problem

# Where an error happened, as parts of a path into the document; set on jsonschema's error
# objects by the keyword validators below when the library left `path` empty.
LOCATION_ATTRIBUTE = "portal_location"


class FetchRefused(Exception):
    """A reference tried to leave the document; refs.py should have taken it out already."""


def _refuse(uri: str) -> NoReturn:
    raise FetchRefused("the portal does not fetch referenced documents")


class RefuseEveryScheme(Mapping[str, Any]):
    """Resolver handlers that claim every URI scheme and fetch none.

    jsonschema-path falls back to urllib or requests for a scheme missing from its handlers,
    so an empty mapping would not do: this one answers `in` with yes for any scheme.
    """

    def __getitem__(self, scheme: str) -> Any:
        return _refuse

    def __contains__(self, scheme: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _stamp(errors: Iterator[ValidationError], path: Any, *more: str) -> Iterator[ValidationError]:
    """Give errors without a location the one of the node being checked (the innermost wins).
    The node's parts are only spelled out once there is an error to place."""
    for error in errors:
        if getattr(error, LOCATION_ATTRIBUTE, None) is None:
            setattr(error, LOCATION_ATTRIBUTE, (*_parts(path), *more, *error.path))
        yield error


def _parts(path: SchemaPath | DocumentPath) -> Parts:
    return tuple(path.parts)


class _SeenList(list):
    """The list the library appends seen ids to and asks `in`, answering `in` from a set.

    Asked once per schema or operation, a plain list makes a large document's check quadratic.
    """

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[Any] = set()

    def append(self, item: Any) -> None:
        try:
            self._seen.add(item)
        except TypeError:
            pass  # found by the list's own `in` below
        super().append(item)

    def __contains__(self, item: object) -> bool:
        try:
            return item in self._seen
        except TypeError:  # an unhashable operationId: compare as the library does
            return super().__contains__(item)


class _ValueValidator(keywords.OpenAPIV30ValueValidator):
    def __call__(self, schema: SchemaPath, value: Any) -> Iterator[ValidationError]:
        yield from _stamp(super().__call__(schema, value), schema, "default")


class _SchemaValidator(keywords.OpenAPIV30SchemaValidator):
    def __init__(self, registry: Any) -> None:
        super().__init__(registry)
        self.visited_schema_ids = _SeenList()
        self.meta_checked_schema_ids = _SeenList()

    def _validate_schema_meta(self, schema: Any, schema_value: Any) -> Any:
        if structure.plainly_valid_schema(schema_value):
            return None
        return super()._validate_schema_meta(schema, schema_value)

    def __call__(
        self, schema: SchemaPath, require_properties: bool = True, meta_checked: bool = False
    ) -> Iterator[ValidationError]:
        yield from _stamp(super().__call__(schema, require_properties, meta_checked), schema)


class _ParametersValidator(keywords.ParametersValidator):
    def __call__(self, parameters: SchemaPath) -> Iterator[ValidationError]:
        yield from _stamp(super().__call__(parameters), parameters)


class _OperationValidator(keywords.OperationValidator):
    def __init__(self, registry: Any) -> None:
        super().__init__(registry)
        self.operation_ids_registry = _SeenList()

    def __call__(
        self, url: str, name: str, operation: SchemaPath, path_parameters: SchemaPath | None
    ) -> Iterator[ValidationError]:
        for error in super().__call__(url, name, operation, path_parameters):
            if getattr(error, LOCATION_ATTRIBUTE, None) is None and "Operation ID" in error.message:
                setattr(error, LOCATION_ATTRIBUTE, (*_parts(operation), "operationId"))
            yield from _stamp(iter((error,)), operation)


class _TagsValidator(keywords.TagsValidator):
    def __call__(self, tags: SchemaPath) -> Iterator[ValidationError]:
        yield from _stamp(super().__call__(tags), tags)


class PortalV2Validator(OpenAPIV2SpecValidator):
    """The 2.0 validator, unable to fetch, with located errors and no global cache."""

    resolver_handlers = RefuseEveryScheme()
    keyword_validators = {
        **OpenAPIV2SpecValidator.keyword_validators,
        "default": _ValueValidator,
        "schema": _SchemaValidator,
        "parameters": _ParametersValidator,
        "operation": _OperationValidator,
        "tags": _TagsValidator,
    }

    def iter_errors(self) -> Iterator[ValidationError]:  # type: ignore[override]
        yield from structure.structural_errors(self.schema)
        with self.schema_path.resolve() as root:
            resolver = root.resolver
        yield from self.root_validator(DocumentPath.root(self.schema, resolver))


def validate_document(document: dict[str, Any], removed: AbstractSet[Parts] = frozenset()) -> list[Problem]:
    """Every error of the document, in the validator's order, as Problems.

    Errors at a place where refs.py took a reference out are left to the problem refs.py
    reported there (`{}` is not a string, but the integrator needs to know why it is `{}`).
    """
    problems: list[Problem] = []
    try:
        for error in PortalV2Validator(document).iter_errors():
            parts = error_location(error)
            if parts in removed:
                continue
            problems.append(describe(error, parts))
            if len(problems) >= MAX_PROBLEMS:
                problems.append(_too_many())
                break
    except RecursionError:
        problems.append(_stopped("the document's schemas refer to each other too deeply to check"))
    except Exception as exc:  # noqa: BLE001 - a validator bug must become a listed problem, not a 500
        problems.append(_stopped(f"{type(exc).__name__} inside the validator"))
    return problems


def error_location(error: ValidationError) -> Parts:
    stamped = getattr(error, LOCATION_ATTRIBUTE, None)
    return tuple(stamped) if stamped is not None else tuple(error.absolute_path)


def _too_many() -> Problem:
    return Problem(
        message=f"The validator stopped listing after {MAX_PROBLEMS} errors.",
        location="",
        hint="Correct the errors above and upload the document again to see the rest.",
        kind="validator",
    )


def _stopped(reason: str) -> Problem:
    return Problem(
        message=f"The validator stopped before the end of the document ({reason}); the errors above are those "
        "found until then.",
        location="",
        hint="",
        kind="validator",
    )


_WARM_UP_DOCUMENT = {
    "swagger": "2.0",
    "info": {"title": "warm-up", "version": "1"},
    "paths": {
        "/items/{id}": {
            "get": {
                "parameters": [{"in": "path", "name": "id", "type": "string", "required": True, "default": "a"}],
                "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Item"}}},
            }
        }
    },
    "definitions": {"Item": {"type": "object", "properties": {"id": {"type": "string", "format": "date"}}}},
}


@functools.cache
def prepare_validator() -> None:
    """Run the validator once in this process before it forks.

    The library builds its meta-schema validators and reference caches lazily; built here,
    every forked child shares them instead of building its own.
    """
    structure.prepare()
    for _ in PortalV2Validator(_WARM_UP_DOCUMENT).iter_errors():
        pass
