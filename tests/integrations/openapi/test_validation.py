"""Validation lists every error, where it is, with a plain-language hint for the common ones."""

import pytest

from integrations.openapi import analyse

from .builders import as_json, as_yaml, ok, ref, swagger


def _errors(document, **kwargs):
    analysis = analyse(as_json(document), "api.json", **kwargs)
    assert analysis.refused is None
    return analysis.errors


def test_a_valid_document_has_no_errors():
    document = swagger(
        {"/customers": {"get": {"responses": ok(ref("Customer"))}}},
        definitions={"Customer": {"type": "object", "properties": {"id": {"type": "integer"}}}},
    )

    analysis = analyse(as_json(document), "api.json")

    assert analysis.is_valid
    assert analysis.version == "2.0"
    assert analysis.title == "Shop API"


def test_every_error_is_listed_not_only_the_first():
    document = swagger(
        {
            "/a": {"get": {"responses": ok({"type": "string", "nullable": True})}},
            "/b": {"get": {"responses": ok({"anyOf": [{"type": "string"}, {"type": "integer"}]})}},
            "/c": {"get": {"operationId": "same", "responses": ok()}},
            "/d": {"get": {"operationId": "same", "responses": ok()}},
        },
        host="https://api.example.com/v1",
    )

    errors = _errors(document)

    assert sorted(p.location for p in errors) == [
        "host",
        "paths./a.get.responses.200.schema",
        "paths./b.get.responses.200.schema",
        "paths./d.get.operationId",
    ]


def test_an_info_description_pointing_at_markdown_gets_the_adobe_hint():
    document = swagger()
    document["info"]["description"] = {"$ref": "intro/accs-intro.md"}

    [problem] = _errors(document)

    assert problem.location == "info.description.$ref"
    assert "`intro/accs-intro.md` points outside the document" in problem.message
    assert "paste that text in" in problem.hint


@pytest.mark.parametrize("keyword", ["oneOf", "anyOf"])
def test_one_of_and_any_of_are_traced_to_the_schema_that_uses_them(keyword):
    alternatives = {keyword: [ref("Card"), ref("Cash")]}
    document = swagger(
        {"/payments": {"post": {"parameters": [{"in": "body", "name": "body", "schema": alternatives}]}}},
        definitions={"Card": {"type": "object"}, "Cash": {"type": "object"}},
    )
    document["paths"]["/payments"]["post"]["responses"] = ok()

    [problem] = _errors(document)

    assert problem.location == "paths./payments.post.parameters[0].schema"
    assert problem.message == f"`{keyword}` is not an OpenAPI 2.0 field here."
    assert f"OpenAPI 2.0 has no `{keyword}`" in problem.hint


def test_a_ref_to_a_missing_definition_suggests_the_closest_name():
    document = swagger(
        {"/customers": {"get": {"responses": ok(ref("Costumer"))}}},
        definitions={"Customer": {"type": "object"}},
    )

    [problem] = _errors(document)

    assert problem.kind == "missing-ref"
    assert problem.location == "paths./customers.get.responses.200.schema.$ref"
    assert "`#/definitions/Costumer` points to nothing" in problem.message
    assert "Did you mean `#/definitions/Customer`?" in problem.hint


def test_every_missing_definition_is_listed_where_the_validator_stops_at_the_first():
    document = swagger({"/a": {"get": {"responses": ok(ref("Gone1"))}}, "/b": {"get": {"responses": ok(ref("Gone2"))}}})

    assert [p.kind for p in _errors(document)] == ["missing-ref", "missing-ref"]


def test_an_unquoted_swagger_version_in_yaml_gets_a_hint_to_quote_it():
    text = as_yaml(swagger()).replace(b"swagger: '2.0'", b"swagger: 2.0")

    analysis = analyse(text, "api.yaml")

    assert analysis.version == "2.0"
    # The validator reports both the type and the value; each carries a hint to quote it.
    assert [(p.location, p.message) for p in analysis.errors] == [
        ("swagger", "`swagger` must be a string, but it is a number."),
        ("swagger", "`swagger` is 2.0, which is not one of the allowed values: '2.0'."),
    ]
    assert "Put the value in quotes: unquoted, YAML reads 2.0 as a number." in analysis.errors[0].hint
    assert 'Write `swagger: "2.0"` with the quotes' in analysis.errors[1].hint


def test_nullable_is_pointed_to_x_nullable():
    document = swagger({"/a": {"get": {"responses": ok({"type": "string", "nullable": True})}}})

    [problem] = _errors(document)

    assert "`x-nullable: true`" in problem.hint


def test_a_misspelt_field_gets_the_right_spelling():
    schema = {"type": "object", "properties": {"query": {"type": "string", "desc": "An SGQL query"}}}
    document = swagger({"/search": {"post": {"responses": ok(schema)}}})

    [problem] = _errors(document)

    assert problem.location == "paths./search.post.responses.200.schema.properties.query"
    assert problem.hint == "Did you mean `description`? Field names are case-sensitive."


def test_a_host_with_a_scheme_gets_the_host_hint():
    [problem] = _errors(swagger(host="https://<server>.example.com/<tenant-id>"))

    assert problem.location == "host"
    assert "put the scheme in `schemes`" in problem.hint


def test_type_file_inside_a_schema_gets_the_form_data_hint():
    document = swagger({"/download": {"get": {"responses": ok({"type": "file", "format": "binary"})}}})

    [problem] = _errors(document)

    assert problem.location == "paths./download.get.responses.200.schema.type"
    assert "`in: formData`" in problem.hint


def test_an_invalid_default_is_located_at_the_default():
    parameter = {"in": "query", "name": "since", "type": "string", "format": "date", "default": ""}
    document = swagger({"/stats": {"get": {"parameters": [parameter], "responses": ok()}}})

    [problem] = _errors(document)

    assert problem.location == "paths./stats.get.parameters[0].default"
    assert problem.message == "The default value '' is not a valid date."


def test_an_unresolved_path_parameter_is_located_at_its_operation():
    document = swagger({"/customers/{id}": {"get": {"responses": ok()}}})

    [problem] = _errors(document)

    assert problem.location == "paths./customers/{id}.get"
    assert "`in: path`" in problem.hint


def test_messages_do_not_quote_whole_subtrees_of_the_document():
    big = {f"field{i}": {"type": "string", "description": "x" * 200} for i in range(50)}
    document = swagger({"/a": {"get": {"responses": ok({"type": "object", "properties": big, "nullable": True})}}})

    [problem] = _errors(document)

    assert len(problem.message) < 400


def test_a_validation_that_takes_too_long_is_stopped_with_a_clear_error(monkeypatch):
    import time

    def slow(document, removed):
        time.sleep(120)
        return []

    monkeypatch.setattr("integrations.openapi.analysis.validate_document", slow)
    document = swagger({"/customers": {"get": {"tags": ["Customers"], "responses": ok()}}})

    analysis = analyse(as_json(document), "api.json", time_limit=0.5)

    [problem] = analysis.errors
    assert problem.kind == "timeout"
    assert problem.message == "Validation did not finish within 0.5 seconds, so the document could not be checked."
    assert [p.key for p in analysis.proposals] == ["customers"]


def test_a_flood_of_errors_is_listed_up_to_a_cap():
    from integrations.openapi.limits import MAX_PROBLEMS

    paths = {f"/p{i}": {"get": {"responses": ok(ref(f"Gone{i}"))}} for i in range(MAX_PROBLEMS + 500)}

    errors = _errors(swagger(paths))

    assert len(errors) == MAX_PROBLEMS + 1
    assert errors[-1].message == "… and 500 more errors, not listed."


def test_a_ref_that_is_not_a_string_is_taken_out_too():
    document = swagger({"/a": {"get": {"responses": ok({"$ref": {"url": "http://example.com"}})}}})

    [problem] = _errors(document)

    assert problem.kind == "external-ref"
    assert problem.location == "paths./a.get.responses.200.schema.$ref"
