"""What a run writes of a deduction: its numbers and its causes as JSON, causes as they came."""

import json

import pytest

from scoring.engine.results import CausesText, as_json


def test_numbers_are_written_as_their_json_in_their_order():
    numbers = {"each": 5, "cap": 25, "count": 3}
    assert as_json(numbers) == json.dumps(numbers) and list(json.loads(as_json(numbers))) == ["each", "cap", "count"]


def test_causes_are_written_as_a_json_list_of_ids():
    assert json.loads(as_json([3, 1, 2])) == [3, 1, 2]
    assert as_json([]) == "[]" and json.loads(as_json((7,))) == [7]


def test_causes_as_a_statement_listed_them_are_written_unchanged_until_read():
    causes = CausesText("[4, 9]", 2)
    assert as_json(causes) == "[4, 9]"
    assert list(causes) == [4, 9]  # read: now a list, written from it
    causes.data.remove(4)
    assert json.loads(as_json(causes)) == [9]


def test_anything_but_ids_is_refused_rather_than_written_as_broken_json():
    with pytest.raises(ValueError):
        as_json(["not an id"])
