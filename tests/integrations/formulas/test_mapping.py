"""Template mappings: the four row kinds, the two filters, output limits, inputs and compare()."""

import json

import pytest

from integrations.formulas import (
    DiffKind,
    FieldDiff,
    InputError,
    MappingRow,
    MappingSpec,
    RowKind,
    Status,
    compare,
    load_sample,
    parse_table,
    run_mapping,
)

TABLES = {"Countries": {"US": "United States"}}
RECORD = {"SKU": "A1", "Qty": 2, "Country": "US", "Address": {"City": "Paris"}, "Email": ""}
ROWS = (
    MappingRow("Sku", RowKind.FORMULA, formula='"WEB" + SKU'),
    MappingRow("Ship.City", RowKind.FIELD, source="Address.City"),
    MappingRow("Source", RowKind.STATIC, value="webshop"),
    MappingRow("Ship.Country", RowKind.TRANSLATION, source="Country", table="Countries"),
)


def test_each_row_kind_fills_its_target():
    result = run_mapping(MappingSpec(rows=ROWS), RECORD, tables=TABLES)

    assert result.status is Status.MAPPED
    assert result.output == {
        "Sku": "WEBA1",
        "Ship": {"City": "Paris", "Country": "United States"},
        "Source": "webshop",
    }
    assert [(r.index, r.ok) for r in result.rows] == [(0, True), (1, True), (2, True), (3, True)]


def test_a_failing_row_is_reported_with_its_index_and_the_others_still_run():
    rows = (MappingRow("Bad", RowKind.FORMULA, formula="SKU + Qty"), *ROWS)

    result = run_mapping(MappingSpec(rows=rows), RECORD, tables=TABLES)

    assert result.status is Status.FAILED and result.message == "1 row failed"
    assert [(r.index, r.error[:27]) for r in result.failed_rows()] == [(0, "cannot add text and number:")]
    assert result.output["Sku"] == "WEBA1"


def test_a_translation_falls_back_to_its_default_or_fails_by_name():
    rows = [MappingRow("C", RowKind.TRANSLATION, source="Country", table="Countries", default="Other")]
    assert run_mapping(MappingSpec(rows=rows), {"Country": "DE"}, tables=TABLES).output == {"C": "Other"}

    rows = [MappingRow("C", RowKind.TRANSLATION, source="Country", table="Countries")]
    [row] = run_mapping(MappingSpec(rows=rows), {"Country": "DE"}, tables=TABLES).rows
    assert row.error == "the translation table 'Countries' has no entry for 'DE'"


def test_a_field_row_with_a_missing_source_names_it():
    [row] = run_mapping(MappingSpec(rows=[MappingRow("X", RowKind.FIELD, source="Address.Zip")]), RECORD).rows

    assert row.error == "Address has no field 'Zip'"


def test_two_rows_with_one_target_are_an_error():
    rows = [MappingRow("X", RowKind.STATIC, value=1), MappingRow("X", RowKind.STATIC, value=2)]

    assert run_mapping(MappingSpec(rows=rows), {}).rows[1].error == "X is mapped by more than one row"


def test_the_mapping_filter_skips_a_record_with_its_reason():
    result = run_mapping(MappingSpec(rows=ROWS, mapping_filter="Qty > 5"), RECORD, tables=TABLES)

    assert result.status is Status.SKIPPED and result.output == {} and result.rows == []
    assert (result.mapping_filter.applied, result.mapping_filter.passed) == (True, False)
    assert result.message == "skipped: the mapping filter is false"


def test_a_failing_mapping_filter_fails_the_record():
    result = run_mapping(MappingSpec(rows=ROWS, mapping_filter="Nope > 5"), RECORD, tables=TABLES)

    assert result.status is Status.FAILED
    assert result.message.startswith("the mapping filter failed: the record has no field Nope")


def test_the_error_filter_fails_a_record_with_its_text_as_the_message():
    spec = MappingSpec(rows=ROWS, error_filter='if(is_empty(Email), "Email is missing", "")')

    result = run_mapping(spec, RECORD, tables=TABLES)

    assert result.status is Status.FAILED and result.output == {}
    assert result.error_filter.message == result.message == "Email is missing"
    assert run_mapping(spec, {**RECORD, "Email": "a@b.c"}, tables=TABLES).status is Status.MAPPED


def test_an_error_filter_that_is_just_true_gets_a_generic_message():
    result = run_mapping(MappingSpec(error_filter="Qty == 2"), RECORD)

    assert result.message == "the error filter matched"


def test_parent_is_available_to_a_child_collections_mapping():
    rows = [MappingRow("Email", RowKind.FORMULA, formula="Parent.Email")]

    assert run_mapping(MappingSpec(rows=rows), {}, parent={"Email": "x@y.z"}).output == {"Email": "x@y.z"}


def test_dates_are_written_as_iso_text():
    rows = [MappingRow("D", RowKind.FORMULA, formula='parse_date("2024-05-31")')]

    assert run_mapping(MappingSpec(rows=rows), {}).output == {"D": "2024-05-31T00:00:00+00:00"}


def test_a_value_over_64_kb_is_refused():
    rows = [MappingRow("Big", RowKind.FORMULA, formula='"x" * 70000')]

    [row] = run_mapping(MappingSpec(rows=rows), {}).rows

    assert row.error == "the result is too large: more than 64 KB as JSON"


def test_an_output_record_over_1_mb_is_refused():
    rows = [MappingRow(f"F{i}", RowKind.FORMULA, formula='"x" * 60000') for i in range(20)]

    result = run_mapping(MappingSpec(rows=rows), {})

    assert result.status is Status.FAILED and result.output == {}
    assert result.message == "the output record is larger than 1024 KB as JSON"


def test_a_result_survives_a_json_round_trip():
    result = run_mapping(MappingSpec(rows=ROWS), RECORD, tables=TABLES)

    assert type(result).from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_load_sample_accepts_an_object():
    assert load_sample('{"SKU": "A1", "Lines": [{"Qty": 1}]}') == {"SKU": "A1", "Lines": [{"Qty": 1}]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"SKU": "A1",\n "Qty": }', "malformed JSON: Expecting value (line 2, column 9)"),
        ("[1, 2]", "the sample must be a JSON object ({...}), not a list"),
        ('{"a": NaN}', "NaN is not valid JSON: write numbers as digits, or null"),
        ('{"a": ' * 33 + "1" + "}" * 33, "the sample is nested 33 levels deep; at most 32"),
        ('{"a": "' + "x" * (1024 * 1024) + '"}', "the sample is 1,048,585 bytes; at most 1,048,576 (1 MB)"),
        (b"\xff{}", "the sample is not UTF-8 text (byte 0)"),
        ('{"id": ' + "7" * 5000 + "}", "the sample has a number too long to read: 5,000 digits (at most 4,300)"),
        ('{"a": [-' + "7" * 4301 + "]}", "the sample has a number too long to read: 4,301 digits (at most 4,300)"),
        ('{"id": 1e400}', "the sample has a number too large to use: 1e400 (at most about 1.8e308)"),
        ('{"id": -1.5E+999}', "the sample has a number too large to use: -1.5E+999 (at most about 1.8e308)"),
        ('{"a": -Infinity}', "-Infinity is not valid JSON: write numbers as digits, or null"),
    ],
    ids=[
        "malformed",
        "not-an-object",
        "nan",
        "too-deep",
        "too-large",
        "not-utf8",
        "long-integer",
        "long-negative-integer",
        "infinite-float",
        "infinite-negative-float",
        "infinity",
    ],
)
def test_load_sample_says_what_is_wrong(text, message):
    with pytest.raises(InputError) as caught:
        load_sample(text)

    assert str(caught.value) == message


def test_a_sample_keeps_the_longest_numbers_python_reads_and_the_largest_floats():
    sample = load_sample('{"id": ' + "7" * 4300 + ', "big": 1.7e308, "tiny": 1e-400}')

    assert len(str(sample["id"])) == 4300
    assert (sample["big"], sample["tiny"]) == (1.7e308, 0.0)


def test_a_sample_32_levels_deep_is_accepted_and_braces_in_text_do_not_count():
    text = '{"a": ' * 31 + '{"b": "{{{{[[[["}' + "}" * 31

    assert load_sample(text)


def test_parse_table_builds_a_dict():
    assert parse_table([("US", "United States"), ("FR", "France")]) == {"US": "United States", "FR": "France"}


def test_parse_table_names_duplicate_keys():
    with pytest.raises(InputError, match="duplicate values to translate: 'US', 'FR'"):
        parse_table([("US", "a"), ("FR", "b"), ("US", "c"), ("FR", "d"), ("US", "e")])


def test_compare_lists_each_difference_with_its_dotted_path():
    expected = {"Sku": "A1", "Ship": {"City": "Paris", "Zip": "75001"}, "Lines": [{"Qty": 1}, {"Qty": 2}], "N": 1}
    actual = {"Sku": "A1", "Ship": {"City": "Lyon"}, "Lines": [{"Qty": 1, "Extra": True}], "N": 1.0, "New": 0}

    assert compare(expected, actual) == [
        FieldDiff("Ship.City", DiffKind.DIFFERENT, expected="Paris", actual="Lyon"),
        FieldDiff("Ship.Zip", DiffKind.MISSING, expected="75001"),
        FieldDiff("Lines[0].Extra", DiffKind.UNEXPECTED, actual=True),
        FieldDiff("Lines[1]", DiffKind.MISSING, expected={"Qty": 2}),
        FieldDiff("New", DiffKind.UNEXPECTED, actual=0),
    ]


def test_compare_tells_true_from_one():
    assert compare({"A": True}, {"A": 1}) == [FieldDiff("A", DiffKind.DIFFERENT, expected=True, actual=1)]
    assert compare({"A": 1}, {"A": 1}) == []
