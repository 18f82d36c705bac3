"""A large document validates quickly, and the fast validation finds exactly what the slow one did.

The structural pass runs jsonschema-rs and lets the pure-Python jsonschema explain only the entries
it flagged; the semantic checks walk a DocumentPath instead of jsonschema-path's SchemaPath. Each
test here compares the result with the validator as the library ships it (the Python structural
pass over the whole document, the semantic checks over SchemaPath), on documents broken in the
ways the schema and the checks know.
"""

import copy
import math
from collections.abc import Iterator

import pytest
from jsonschema import Draft4Validator

from integrations.openapi import analyse, structure, validation
from integrations.openapi.refs import sanitize_references
from integrations.openapi.validation import PortalV2Validator, validate_document

from .builders import as_json, ok, ref, swagger


def _reference_iter_errors(self) -> Iterator:
    yield from Draft4Validator(structure.swagger_2_schema()).iter_errors(self.schema)
    yield from self.root_validator(self.schema_path)


@pytest.fixture
def as_shipped(monkeypatch):
    """validate_document with the library's own slow walk, for comparison."""

    def validate(document):
        with monkeypatch.context() as patched:
            patched.setattr(PortalV2Validator, "iter_errors", _reference_iter_errors)
            patched.setattr(structure, "plainly_valid_schema", lambda schema: False)
            return validate_document(document, sanitize_references(document).removed)

    return validate


def _fast(document):
    return validate_document(document, sanitize_references(document).removed)


def _shop() -> dict:
    parameter = {"name": "page", "in": "query", "type": "integer", "default": 1}
    return swagger(
        {
            "/customers": {
                "get": {"operationId": "list", "parameters": [parameter], "responses": ok(ref("Customer"))},
                "post": {
                    "operationId": "create",
                    "parameters": [{"name": "body", "in": "body", "schema": ref("Customer")}],
                    "responses": ok(),
                },
            },
            "/customers/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
                "get": {"operationId": "read", "responses": ok(ref("Customer"))},
            },
        },
        definitions={
            "Customer": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}, "address": ref("Address")},
            },
            "Address": {"type": "object", "properties": {"city": {"type": "string", "pattern": "^[A-Z]"}}},
        },
        parameters={"Locale": {"name": "locale", "in": "header", "type": "string"}},
        responses={"NotFound": {"description": "Not found"}},
    )


def _broken(change) -> dict:
    document = _shop()
    change(document)
    return document


def _set(path, value):
    def change(document):
        node = document
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


BROKEN = {
    "an extra key in a path item": _set(("paths", "/customers", "gett"), {}),
    "a parameter of no kind": _set(("paths", "/customers", "get", "parameters", 0, "in"), "cookie"),
    "a body parameter without schema": _set(
        ("paths", "/customers", "post", "parameters", 0), {"name": "b", "in": "body"}
    ),
    "nullable in a definition": _set(("definitions", "Address", "nullable"), True),
    "a definition that is a list": _set(("definitions", "Address"), ["city"]),
    "a response code that is not one": _set(("paths", "/customers", "get", "responses", "twohundred"), {}),
    "a path without its slash": _set(("paths", "customers"), {}),
    "an extra top-level field": _set(("servers",), [{"url": "https://api.example.com"}]),
    "a scheme in the host": _set(("host",), "https://api.example.com"),
    "an info description that is an object": _set(("info", "description"), {"text": "hello"}),
    "a shared parameter of no kind": _set(("parameters", "Locale", "in"), "cookie"),
    "a shared response without description": _set(("responses", "NotFound"), {"schema": {"type": "string"}}),
    "a length that is not whole": _set(("definitions", "Address", "properties", "city", "maxLength"), 1.5),
    "type file in a schema": _set(("definitions", "Address", "properties", "city", "type"), "file"),
    "paths that are a list": _set(("paths",), ["/customers"]),
    "additionalProperties that is a number": _set(("definitions", "Customer", "additionalProperties"), 3),
    "a duplicate operation id": _set(("paths", "/customers", "post", "operationId"), "list"),
    "an unresolved path parameter": _set(("paths", "/customers/{id}", "parameters"), []),
    "a default of the wrong type": _set(("paths", "/customers", "get", "parameters", 0, "default"), "one"),
    "a default of the wrong type in a definition": _set(
        ("definitions", "Customer", "properties", "id", "default"), "seven"
    ),
    "a required field that is no property": _set(
        ("definitions", "Customer"),
        {"type": "object", "required": ["id", "zip"], "allOf": [{"properties": {"id": {"type": "integer"}}}]},
    ),
    "a pattern Python cannot compile": _set(
        ("paths", "/customers", "post", "responses", "200", "schema"), {"type": "string", "pattern": "[a-"}
    ),
    "a duplicate parameter": _set(
        ("paths", "/customers", "get", "parameters"),
        [{"name": "page", "in": "query", "type": "integer"}, {"name": "page", "in": "query", "type": "string"}],
    ),
    "a duplicate tag": _set(("tags",), [{"name": "Customers"}, {"name": "Customers"}]),
}


def test_a_valid_document_passes_both_ways(as_shipped):
    assert _fast(_shop()) == as_shipped(_shop()) == []


@pytest.mark.parametrize("change", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_document_gets_the_same_problems_as_from_the_validator_as_shipped(change, as_shipped):
    expected = as_shipped(_broken(change))

    found = _fast(_broken(change))

    assert expected, "each of these documents is broken"
    if expected[-1].kind == "validator":
        # The shipped walk stops at some malformed nodes (and says so); this one lists the same
        # problems up to there, then stops there too or goes on.
        assert found[: len(expected) - 1] == expected[:-1]
    else:
        assert found == expected


def test_two_broken_paths_among_many_valid_ones_are_each_reported_in_document_order(as_shipped):
    document = _shop()
    for n in range(300):
        document["paths"][f"/things{n}"] = {"get": {"operationId": f"thing{n}", "responses": ok()}}
    document["paths"]["/things7"]["get"]["parameters"] = [{"name": "q", "in": "nowhere"}]
    document["paths"]["/things250"]["get"]["responses"] = {}
    document["definitions"]["Thing"] = {"type": "object", "properties": {"n": {"type": "integer", "default": "x"}}}
    document["paths"]["/things3"]["get"]["responses"] = ok(ref("Thing"))

    found = _fast(copy.deepcopy(document))

    assert found == as_shipped(document)
    assert {problem.location for problem in found} >= {
        "paths./things7.get.parameters[0]",
        "paths./things250.get.responses",
        "paths./things3.get.responses.200.schema.properties.n.default",
    }


def test_nan_and_infinity_are_numbers_both_ways(as_shipped):
    document = _broken(_set(("definitions", "Customer", "properties", "id", "maximum"), math.nan))
    document["definitions"]["Customer"]["properties"]["id"]["minimum"] = -math.inf

    assert _fast(copy.deepcopy(document)) == as_shipped(document) == []


def test_a_value_jsonschema_rs_cannot_read_falls_back_to_checking_everything(monkeypatch):
    class Unreadable:
        def is_valid(self, document):
            raise ValueError("Unsupported type")

    monkeypatch.setattr(structure, "_fast", lambda: Unreadable())
    document = _broken(BROKEN["a parameter of no kind"])

    [problem] = _fast(document)

    assert problem.location == "paths./customers.get.parameters[0]"


def test_a_schema_whose_pattern_python_cannot_compile_is_not_plainly_valid():
    assert structure.plainly_valid_schema({"type": "string", "pattern": "^[A-Z]"})
    assert not structure.plainly_valid_schema({"type": "string", "pattern": "[a-"})
    assert not structure.plainly_valid_schema({"type": "string", "maxLength": -1})


def _large(paths: int) -> dict:
    document = swagger(definitions={"Item": {"type": "object", "properties": {"id": {"type": "integer"}}}})
    for n in range(paths):
        document["paths"][f"/items{n}/{{id}}"] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "type": "integer"}],
            "get": {"operationId": f"get{n}", "tags": [f"Items{n // 10}"], "responses": ok(ref("Item"))},
            "put": {
                "operationId": f"put{n}",
                "tags": [f"Items{n // 10}"],
                "parameters": [{"name": "body", "in": "body", "schema": {"type": "array", "items": ref("Item")}}],
                "responses": ok(),
            },
        }
    return document


def test_a_valid_large_document_never_reaches_the_slow_validators(monkeypatch):
    # Speed is measured by benchmarks/openapi_large.py; what makes it is that a valid document
    # meets neither the pure-Python structural pass nor SchemaPath's walk, nor a Python meta check.
    def slow(*args, **kwargs):
        raise AssertionError("the slow path was taken")

    monkeypatch.setattr(structure, "_explaining", slow)
    monkeypatch.setattr(validation.SchemaPath, "__truediv__", slow)
    monkeypatch.setattr(validation.keywords.OpenAPIV30SchemaValidator, "_validate_schema_meta", slow)

    assert _fast(_large(500)) == []


def test_a_large_document_is_analysed_with_its_proposals():
    analysis = analyse(as_json(_large(1000)), "large.json")

    assert analysis.refused is None and analysis.errors == ()
    assert (analysis.path_count, analysis.operation_count) == (1000, 2000)
    assert len(analysis.proposals) == 100


def test_the_semantic_checks_remember_what_they_saw_in_sets():
    seen = validation._SeenList()
    seen.append("list")
    seen.append({"unhashable": "id"})

    assert "list" in seen and {"unhashable": "id"} in seen and "other" not in seen
    assert list(seen) == ["list", {"unhashable": "id"}]
