"""The formula language: a table of expressions and results, every library example, the checks."""

from datetime import UTC, datetime

import pytest

from integrations.formulas import (
    FUNCTIONS,
    DivisionByZero,
    FormulaRefused,
    FormulaTypeError,
    ProblemCode,
    TranslationMissing,
    UnknownName,
    check_formula,
    evaluate_formula,
)
from integrations.formulas.limits import MAX_FORMULA_CHARS, MAX_FORMULA_DEPTH

RECORD = {
    "SKU": "A100",
    "Qty": 3,
    "Price": 9.5,
    "Name": "  Ann Lee ",
    "Active": True,
    "Email": None,
    "Address": {"City": "Paris", "Lines": ["1 Rue", "Bat B"]},
    "Lines": [{"Sku": "X1", "Qty": 2}, {"Sku": "X2", "Qty": 5}],
    "First Name": "Ann",
}
PARENT = {"Email": "buyer@example.com", "Id": 7}
TABLES = {"Countries": {"US": "United States", "FR": "France"}}


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ('"WEB" + SKU', "WEBA100"),
        ("Qty * Price", 28.5),
        ("Qty ** 2 - 1", 8),
        ("Qty // 2 + Qty % 2", 2),
        ("Address.City", "Paris"),
        ("Address.Lines[1]", "Bat B"),
        ("Lines[0].Sku", "X1"),
        ("Lines[-1].Qty", 5),
        ('Address["City"]', "Paris"),
        ("Parent.Email", "buyer@example.com"),
        ("Qty > 2 and Active", True),
        ("not Active or Qty == 3", True),
        ("1 < Qty <= 3", True),
        ('"X" in SKU', False),
        ('"City" in Address', True),
        ('"big" if Qty > 2 else "small"', "big"),
        ('if(Qty > 5, "big", "small")', "small"),
        ('concat("n=", if(Active, 1, 0))', "n=1"),
        ("Qty if(Active) else 0", 3),
        ('lookup("Countries", "FR", "?")', "France"),
        ('field("First Name")', "Ann"),
        ('field("Address.Missing")', None),
        ("coalesce(Email, Parent.Email)", "buyer@example.com"),
        ("coalesce(Missing, SKU)", "A100"),
        ("is_empty(Missing)", True),
        ("round(2.5) + round(-2.5)", 0),
        ("round(1.005, 2)", 1.01),
        ("None", None),
        ("-Qty", -3),
        ('"ab" * 3', "ababab"),
        ("min(Qty, 10, 2)", 2),
        ('max("a", "b")', "b"),
        ("upper(substring(SKU, 1))", "100"),
        ('add_days("2024-02-28", 1) > parse_date("2024-02-28T12:00:00+00:00")', True),
        ("(\n  Qty +\n  1\n)  # a comment", 4),
    ],
)
def test_it_evaluates(formula, expected):
    assert evaluate_formula(formula, RECORD, parent=PARENT, tables=TABLES) == expected
    fields = set(RECORD) | {"Missing"}  # a field the data model has but this sample lacks
    assert check_formula(formula, field_names=fields, table_names=set(TABLES)) == []


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_library_example_gives_its_result(name):
    definition = FUNCTIONS[name]
    example = definition.example

    result = evaluate_formula(example.formula, example.record, parent=example.parent, tables=example.tables)

    assert (result.isoformat() if isinstance(result, datetime) else result) == example.result
    assert definition.signature.startswith(f"{name}(") and definition.description


def test_now_is_aware_and_in_utc():
    assert evaluate_formula("now()", {}).tzinfo is UTC


def test_adding_a_number_to_text_says_to_use_concat():
    with pytest.raises(FormulaTypeError, match=r"cannot add text and number: use concat\(a, b\) or to_text\(x\)"):
        evaluate_formula('"WEB" + Qty', RECORD)


def test_an_empty_field_in_arithmetic_suggests_coalesce():
    with pytest.raises(FormulaTypeError, match=r"coalesce\(x, 0\)"):
        evaluate_formula("Email + 1", RECORD)


def test_a_missing_field_names_it_and_suggests_a_close_one():
    with pytest.raises(UnknownName, match="the record has no field Sku .did you mean SKU"):
        evaluate_formula("Sku", RECORD)


def test_a_missing_nested_field_names_the_path():
    with pytest.raises(UnknownName, match="Address has no field 'Zip'"):
        evaluate_formula("Address.Zip", RECORD)
    with pytest.raises(UnknownName, match=r"Lines has no item 9 \(it has 2\)"):
        evaluate_formula("Lines[9].Sku", RECORD)


def test_parent_without_a_parent_record_says_so():
    with pytest.raises(UnknownName, match="Parent is only available in the mapping of a child collection"):
        evaluate_formula("Parent.Email", RECORD)


def test_division_by_zero():
    with pytest.raises(DivisionByZero, match="division by zero"):
        evaluate_formula("Qty / (Qty - 3)", RECORD)


def test_lookup_without_default_names_the_missing_value():
    with pytest.raises(TranslationMissing, match="the translation table 'Countries' has no entry for 'DE'"):
        evaluate_formula('lookup("Countries", "DE")', {}, tables=TABLES)


def test_if_computes_only_the_chosen_branch():
    assert evaluate_formula("if(Qty > 0, Qty, Qty / 0)", RECORD) == 3


def test_the_record_is_copied_not_shared():
    record = {"Address": {"City": "Paris"}}
    evaluate_formula("Address", record)["City"] = "Lyon"

    assert record == {"Address": {"City": "Paris"}}


def test_a_model_instance_or_module_is_refused_as_input():
    import os

    with pytest.raises(ValueError, match="must be plain JSON data"):
        evaluate_formula("X", {"X": os})


def _codes(formula, **kwargs):
    kwargs.setdefault("table_names", set())
    return [(p.code, p.message, p.line, p.column) for p in check_formula(formula, **kwargs)]


def test_a_syntax_error_has_a_line_and_column():
    cannot_read = "the formula cannot be read here: look for a missing value, operator or bracket"
    assert _codes('concat(SKU,\n  "a" +)') == [(ProblemCode.SYNTAX, cannot_read, 2, 8)]


def test_columns_count_characters_as_written_even_after_if_and_accents():
    [problem] = check_formula('if(1, "é", Nope)', field_names=set(), table_names=set())

    assert (problem.code, problem.column) == (ProblemCode.UNKNOWN_NAME, 12)


def test_unknown_names_are_reported_when_the_fields_are_known():
    assert _codes("SKUU + Parent.Anything", field_names={"SKU"}) == [
        (ProblemCode.UNKNOWN_NAME, "unknown field SKUU: did you mean SKU?", 1, 1)
    ]
    assert _codes("Anything") == []  # fields unknown: not checked


def test_unknown_functions_and_wrong_argument_counts_are_reported():
    assert _codes("uper(SKU)")[0][:2] == (
        ProblemCode.UNKNOWN_FUNCTION,
        "unknown function uper(): did you mean upper()?",
    )
    assert _codes("substring(SKU)")[0][:2] == (
        ProblemCode.ARGUMENTS,
        "substring() takes 2 to 3 arguments, not 1: substring(text, start, length)",
    )


def test_lookup_tables_must_be_known_and_named_in_quotes():
    assert _codes('lookup("Sizes", X)', table_names={"Countries"})[0][:2] == (
        ProblemCode.UNKNOWN_TABLE,
        "no translation table named 'Sizes' (tables: Countries)",
    )
    assert _codes("lookup(Sizes, X)")[0][1] == "lookup() needs the translation table's name in quotes"


def test_a_formula_over_the_length_limit_is_refused():
    formula = "1 + " * 500 + "1"

    assert _codes(formula) == [
        (
            ProblemCode.TOO_LONG,
            f"the formula is {len(formula):,} characters long; at most {MAX_FORMULA_CHARS:,}",
            None,
            None,
        )
    ]


def test_a_formula_nested_past_the_depth_limit_is_refused():
    assert _codes("-" * 300 + "1") == [
        (ProblemCode.TOO_DEEP, f"the formula is nested more than {MAX_FORMULA_DEPTH} levels deep", None, None)
    ]


def test_an_empty_formula_is_refused():
    assert _codes("  ")[0][:2] == (ProblemCode.SYNTAX, "the formula is empty")


def test_evaluating_a_refused_formula_raises_with_the_problems():
    with pytest.raises(FormulaRefused) as caught:
        evaluate_formula("uper(SKU)", RECORD)

    assert caught.value.problems[0].code == ProblemCode.UNKNOWN_FUNCTION


def test_check_never_raises_whatever_the_text():
    for text in ["\x00", "(" * 500, "'", "é" * 3000, "\\", "1 if", None]:
        assert check_formula(text, table_names=set())
