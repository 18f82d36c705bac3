"""The issue's bad input: every escape attempt is refused when checked or stopped when run."""

import pytest

from integrations.formulas import (
    FormulaError,
    FormulaRefused,
    LimitExceeded,
    PatternRefused,
    ProblemCode,
    check_formula,
    evaluate_formula,
)

RECORD = {"SKU": "A100", "Qty": 3, "Name": "aaaa", "Pattern": "(a+)+$", "Lines": [{"Sku": "X"}]}


@pytest.mark.parametrize(
    ("formula", "code", "message"),
    [
        ("SKU.__class__", ProblemCode.DISALLOWED, "fields starting with _ are not allowed after a dot: .__class__"),
        ('"".__class__.__mro__[1].__subclasses__()', ProblemCode.DISALLOWED, "no methods such as .format()"),
        ("__import__('os')", ProblemCode.DISALLOWED, "names starting with _ are not allowed: __import__"),
        ("__builtins__", ProblemCode.DISALLOWED, "names starting with _ are not allowed: __builtins__"),
        ('getattr(SKU, "__class__")', ProblemCode.UNKNOWN_FUNCTION, "unknown function getattr()"),
        ("import os", ProblemCode.SYNTAX, "the formula cannot be read here"),
        ('"{0.__class__}".format(SKU)', ProblemCode.DISALLOWED, "no methods such as .format()"),
        ('"%s" % "x"', ProblemCode.CONSTANT, "cannot take the remainder of text and text"),
        ('"%s" % SKU', None, "cannot take the remainder of text and text"),
        ("Qty ** (Qty * 1000)", None, "exponent too large: 3000 (at most 100)"),
        ('f"{SKU.__class__}"', ProblemCode.DISALLOWED, "fields starting with _"),
        ('f"{SKU}"', ProblemCode.DISALLOWED, "not allowed in a formula: f-strings: use concat()"),
        ("[x for x in Lines]", ProblemCode.DISALLOWED, "not allowed in a formula: comprehensions"),
        ("(lambda: 1)()", ProblemCode.DISALLOWED, "not allowed in a formula: lambda functions"),
        ("(x := 1)", ProblemCode.DISALLOWED, "not allowed in a formula: assignments (:=)"),
        ("SKU[0:2]", ProblemCode.DISALLOWED, "slices: use substring(text, start, length)"),
        ("upper(*Lines)", ProblemCode.DISALLOWED, "* arguments"),
        ("SKU is None", ProblemCode.DISALLOWED, "`is`: use =="),
        ("1 << 9999", ProblemCode.DISALLOWED, "shift operators"),
        ("9**9**9", ProblemCode.CONSTANT, "exponent too large: 387420489 (at most 100)"),
        ("9**3999999 * 9**3999999", ProblemCode.CONSTANT, "exponent too large: 3999999 (at most 100)"),
        ("(9**9999)**9999", ProblemCode.CONSTANT, "exponent too large: 9999 (at most 100)"),
        ('"a" * 10**9', ProblemCode.CONSTANT, "text too long: repeating it would pass 100,000 characters"),
        ('"a" * 99999 + "bb"', ProblemCode.CONSTANT, "text too long: more than 100,000 characters"),
        ("(999999 ** 100) ** 2", ProblemCode.CONSTANT, "number too large"),
        ("1e308 * 10", ProblemCode.CONSTANT, "not a finite number"),
        ("-(" * 150 + "1" + ")" * 150, ProblemCode.TOO_DEEP, "nested more than 100 levels deep"),
        ("(" * 250 + "1" + ")" * 250, ProblemCode.SYNTAX, "the formula is too deeply nested"),
        ("not " * 400 + "1", ProblemCode.TOO_DEEP, "nested more than 100 levels deep"),
        ('regex_match(Name, "(a+)+$")', ProblemCode.PATTERN, "nested quantifiers such as (a+)+ are not allowed"),
        (r'regex_match(Name, "(a)\\1")', ProblemCode.PATTERN, "backreferences such as \\1 are not allowed"),
        (f'regex_match(Name, "{"a" * 201}")', ProblemCode.PATTERN, "longer than 200 characters"),
        ('regex_replace(Name, "(", "")', ProblemCode.PATTERN, "not a valid regular expression"),
    ],
)
def test_an_escape_attempt_is_refused_when_checked_and_when_run(formula, code, message):
    """code None: nothing to see before it runs (it reads fields); stopped when run."""
    problems = check_formula(formula, field_names=set(RECORD), table_names=set())

    if code is None:
        assert problems == []
    else:
        assert (code, True) in [(p.code, message in p.message) for p in problems]
    with pytest.raises(FormulaError, match=_escaped(message)):
        evaluate_formula(formula, RECORD)


def _escaped(text):
    import re

    return re.escape(text)


def test_a_catastrophic_pattern_from_the_record_is_refused_when_run():
    with pytest.raises(PatternRefused, match=r"nested quantifiers such as \(a\+\)\+ are not allowed"):
        evaluate_formula('regex_match(Name + "!", Pattern)', {"Name": "a" * 50_00, "Pattern": "(a+)+$"})


def test_a_regex_over_too_long_a_text_is_refused():
    with pytest.raises(PatternRefused, match="text too long for a regular expression: more than 10,000"):
        evaluate_formula('regex_match(Name, "b")', {"Name": "a" * 10_001})


def test_repeating_a_field_past_the_limit_is_stopped_when_run():
    with pytest.raises(LimitExceeded, match="text too long: repeating it would pass 100,000 characters"):
        evaluate_formula("SKU * Qty", {"SKU": "x" * 50_000, "Qty": 3})


def test_replace_cannot_blow_a_text_up():
    with pytest.raises(LimitExceeded, match="text too long"):
        evaluate_formula('replace(SKU, "x", SKU)', {"SKU": "x" * 1_000})


def test_a_refused_formula_is_refused_before_anything_runs():
    with pytest.raises(FormulaRefused, match="names starting with _"):
        evaluate_formula("_private", {"_private": 1})


def test_a_message_quoting_a_huge_value_is_cut_short():
    with pytest.raises(FormulaError) as raised:
        evaluate_formula("2 ** Big", {"Big": int("9" * 4000)})  # the message quotes the exponent
    assert len(raised.value.message) <= FormulaError.MAX_MESSAGE
