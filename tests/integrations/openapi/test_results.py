"""The result objects: readable locations and a lossless JSON round trip for the Celery task."""

import json

from integrations.openapi import Analysis, analyse, diff, format_location
from integrations.openapi.results import ProposalDiff

from .builders import as_json, ok, ref, swagger


def test_locations_read_as_dotted_paths_with_bracketed_indexes():
    parts = ("paths", "/customers", "get", "parameters", 0, "schema")
    assert format_location(parts) == "paths./customers.get.parameters[0].schema"


def test_keys_with_dots_or_spaces_are_quoted():
    assert format_location(("paths", "/orders.json", "get")) == 'paths["/orders.json"].get'
    assert format_location(("definitions", "Order Line")) == 'definitions["Order Line"]'


def test_the_whole_document_is_the_empty_location():
    assert format_location(()) == ""


def _rich_analysis() -> Analysis:
    document = swagger(
        {
            "/customers": {
                "get": {"tags": ["Customers"], "responses": ok({"type": "array", "items": ref("Customer")})},
                "post": {"tags": ["Customers"], "responses": {"200": {"description": "OK"}}, "oneOf": []},
            }
        },
        definitions={"Customer": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}},
    )
    document["info"]["description"] = {"$ref": "intro.md"}
    return analyse(as_json(document), "shop.json", time_limit=None)


def test_an_analysis_survives_a_json_round_trip():
    analysis = _rich_analysis()
    assert analysis.errors and analysis.proposals and analysis.proposals[0].schemas

    stored = json.loads(json.dumps(analysis.to_dict()))

    assert Analysis.from_dict(stored) == analysis


def test_a_refusal_survives_a_json_round_trip():
    analysis = analyse(b"openapi: 3.0.1\n", "api.yaml")

    assert Analysis.from_dict(json.loads(json.dumps(analysis.to_dict()))) == analysis


def test_a_diff_survives_a_json_round_trip():
    changes = diff((), _rich_analysis().proposals)

    assert ProposalDiff.from_dict(json.loads(json.dumps(changes.to_dict()))) == changes


def test_plain_gives_what_dataclasses_asdict_gives_without_copying():
    from dataclasses import asdict

    from integrations.openapi import plain

    document = swagger(
        {"/customers": {"get": {"tags": ["Customers"], "responses": ok(ref("Customer"))}}},
        definitions={"Customer": {"type": "object", "properties": {"id": {"type": "integer"}}}},
    )
    analysis = analyse(as_json(document), "api.json")

    assert plain(analysis) == asdict(analysis)
    assert plain(analysis.proposals[0], as_json=True) == json.loads(json.dumps(asdict(analysis.proposals[0])))
