"""The function library at its edges: numbers past a 28-digit decimal, replacements naming groups
the pattern lacks, date formats that cannot be used, dates past the calendar. Each answers with a
value or the engine's own error, whose message names the function and what to change."""

import dataclasses
import re
from decimal import InvalidOperation

import pytest

from integrations.formulas import (
    FUNCTIONS,
    FormulaError,
    FormulaTypeError,
    FormulaValueError,
    LimitExceeded,
    check_formula,
    evaluate_formula,
)


@pytest.mark.parametrize(
    ("formula", "record", "expected"),
    [
        ("round(10**30)", {}, 10**30),
        ("round(Price, 2)", {"Price": 1e30}, 1e30),
        ("round(123456789.5, 20)", {}, 123456789.5),
        ("round(Big, -20)", {"Big": 123 * 10**280 + 5 * 10**19}, 123 * 10**280 + 10**20),
        ("round(-1.5e300)", {}, -15 * 10**299),
    ],
)
def test_round_rounds_numbers_longer_than_28_digits(formula, record, expected):
    assert evaluate_formula(formula, record) == expected


def test_round_of_big_constants_is_checked_without_a_problem():
    assert check_formula("round(10**30) + round(123456789.5, 20)") == []


def test_round_refuses_a_number_that_is_not_finite():
    with pytest.raises(LimitExceeded, match="not a finite number"):
        evaluate_formula("round(1e400, 2)", {})


@pytest.mark.parametrize(
    ("pattern", "replacement", "message"),
    [
        ("(a)", r"\g<9>", r"the replacement '\\g<9>' cannot be used: it refers to group 9, but the pattern has only 1"),
        ("(a)(b)", r"\9", r"the replacement '\\9' cannot be used: it refers to group 9, but the pattern has only 2"),
        ("a", r"\1", r"it refers to group 1, but the pattern has no groups (parts in parentheses)"),
        ("(?P<sku>a)", r"\g<qty>", "it refers to a group named qty, which the pattern does not have (it has sku)"),
        ("a", "\\", "it ends with a backslash that escapes nothing"),
        ("a", r"\q", r"bad escape \q at character 1"),
    ],
)
def test_regex_replace_refuses_a_replacement_it_cannot_use(pattern, replacement, message):
    record = {"Text": "abc", "Pattern": pattern, "Replacement": replacement}

    with pytest.raises(FormulaValueError) as caught:
        evaluate_formula("regex_replace(Text, Pattern, Replacement)", record)

    assert caught.value.message.startswith("regex_replace(): the replacement ")
    assert caught.value.message.endswith(message)


def test_regex_replace_refuses_the_replacement_even_when_nothing_matches():
    with pytest.raises(FormulaValueError, match="refers to group 2"):
        evaluate_formula(r'regex_replace("zzz", "(a)", "\\2")', {})


def test_regex_replace_uses_a_group_the_pattern_has():
    assert evaluate_formula(r'regex_replace("A-100", "([A-Z])-(\\d+)", "\\2\\g<1>")', {}) == "100A"


@pytest.mark.parametrize(
    ("text", "format", "message"),
    [
        ("2024 2024", "%Y %Y", "parse_date(): the format '%Y %Y' cannot be used: it reads %Y more than once"),
        (
            "x",
            "%c %d",
            "parse_date(): the format '%c %d' cannot be used: it reads %d more than once "
            "(%c, %x and %X each read several parts)",
        ),
        (
            "2024",
            "%Q",
            "parse_date(): the format '%Q' cannot be used: %Q is not a date directive (such as %Y, %m or %d)",
        ),
        (
            "2024",
            "%Y%",
            "parse_date(): the format '%Y%' cannot be used: it ends with a % on its own (write %% for a percent sign)",
        ),
        ("2024 1", "%G %V", "parse_date(): the format '%G %V' cannot be used: ISO year directive '%G' must be used"),
        ("2024", "%Y" * 51, "parse_date(): the format '%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%...' cannot be used"),
        ("31/05/2024", "%d-%m-%Y", "not a date in the format '%d-%m-%Y': '31/05/2024'"),
    ],
)
def test_parse_date_tells_a_format_it_cannot_use_from_text_that_does_not_match(text, format, message):
    with pytest.raises(FormulaValueError) as caught:
        evaluate_formula("parse_date(Text, Format)", {"Text": text, "Format": format})

    assert caught.value.message.startswith(message)


@pytest.mark.parametrize(
    ("format", "message"),
    [
        ("%d\x00%m", "format_date(): the format '%d\\x00%m' cannot be used: it holds a NUL character"),
        ("%d\ud800", "format_date(): the format '%d\\ud800' has a character that is not text"),
    ],
)
def test_format_date_refuses_a_format_it_cannot_write(format, message):
    with pytest.raises(FormulaValueError) as caught:
        evaluate_formula('format_date("2024-05-31", Format)', {"Format": format})

    assert caught.value.message == message


def test_format_date_names_itself_when_the_date_text_is_too_long():
    with pytest.raises(FormulaValueError, match=r"^format_date\(\) needs a text of at most 100 characters$"):
        evaluate_formula('format_date(Date, "%Y")', {"Date": "2024-05-31" + " x" * 50})


@pytest.mark.parametrize("formula", ['add_days("9999-12-31", 1)', 'add_days("2024-05-31", 10**30)'])
def test_add_days_past_the_calendar_says_so(formula):
    with pytest.raises(FormulaValueError, match=r"add_days\(\): the date would be out of range \(years 1 to 9999\)"):
        evaluate_formula(formula, {})


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("1e400", LimitExceeded, "to_number(): '1e400' is too large a number (at most about 1.8e308)"),
        ("9" * 500, LimitExceeded, "to_number() reads a text of at most 400 characters, not 500"),
        ("-inf", FormulaValueError, "not a number: '-inf'"),
    ],
)
def test_to_number_tells_a_number_too_large_from_text_that_is_not_one(text, error, message):
    with pytest.raises(error) as caught:
        evaluate_formula("to_number(Text)", {"Text": text})

    assert caught.value.message == message


def test_min_of_objects_names_the_type_it_cannot_compare():
    with pytest.raises(FormulaTypeError, match=r"^min\(\) compares numbers or texts, not object$"):
        evaluate_formula("min(Lines)", {"Lines": [{"Qty": 1}, {"Qty": 2}]})


def test_field_refuses_an_index_longer_than_any_list():
    with pytest.raises(FormulaError, match=r"not a field path: 'Lines\[9999.*' \(an index has more than 18 digits\)"):
        evaluate_formula("field(Path)", {"Path": "Lines[" + "9" * 5000 + "]"})


@pytest.mark.parametrize("escaped", [InvalidOperation(), re.error("bad"), ArithmeticError()])
def test_an_unexpected_arithmetic_or_pattern_error_is_still_a_formula_error(monkeypatch, escaped):
    def raising(value):
        raise escaped

    monkeypatch.setitem(FUNCTIONS, "abs", dataclasses.replace(FUNCTIONS["abs"], impl=raising))

    with pytest.raises(FormulaError, match=rf"^the formula could not be evaluated \({type(escaped).__name__}\)$"):
        evaluate_formula("abs(1)", {})
