"""The definition's shape: every malformed or oversized body gets a message naming the problem."""

import json

import pytest

from certification.workflow_templates.definition import MAX_BODY, MAX_STEPS, DefinitionError, parse_definition
from tests.certification.workflow_templates.world import definition


def problems(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as error:
        parse_definition(text)
    return error.value.problems


def test_a_well_formed_definition_is_read_with_its_trigger_and_steps():
    parsed = parse_definition(json.dumps(definition()))
    assert (parsed.trigger_type, parsed.scope) == ("webhook", "customer/created")
    assert [step.direction for step in parsed.steps] == ["to_ipaas", "from_ipaas"]
    assert parsed.as_json() == definition()


def test_a_schedule_trigger_is_read_with_its_interval():
    parsed = parse_definition(json.dumps({**definition(), "trigger": {"type": "schedule", "every_minutes": 60}}))
    assert parsed.as_json()["trigger"] == {"type": "schedule", "every_minutes": 60}


def test_text_that_is_not_json_is_refused_with_its_line_and_column():
    assert problems('{"trigger": ') == ["The definition is not valid JSON at line 1, column 13."]


def test_an_oversized_body_is_refused_with_its_size():
    [problem] = problems(" " * (MAX_BODY + 1))
    assert f"at most {MAX_BODY:,}" in problem


def test_a_document_that_is_not_an_object_is_refused():
    assert "must be a JSON object" in problems("[1, 2]")[0]


def test_every_malformed_place_is_named_at_once():
    document = {
        "trigger": {"type": "schedule", "every_minutes": 1},
        "steps": [{"collection": "customer", "direction": "sideways", "mapping": ""}, "nope"],
        "extra": True,
    }
    found = " ".join(problems(json.dumps(document)))
    assert "Unknown key extra" in found
    assert "every_minutes" in found
    assert "Step 1: “direction” must be one of to_ipaas, from_ipaas" in found
    assert "Step 1: “mapping” must be a text" in found
    assert "Step 2 must be an object" in found


def test_too_many_steps_are_refused():
    step = definition()["steps"][0]
    assert f"at most {MAX_STEPS} steps" in problems(json.dumps(definition(steps=[step] * (MAX_STEPS + 1))))[0]


def test_deeply_nested_json_is_refused_not_crashed():
    assert problems("[" * 9_000 + "]" * 9_000) == ["The definition is not valid JSON."]
