"""Syntax errors speak the formula language, never Python's: brackets, quoted text, numbers."""

import pytest

from integrations.formulas.errors import ProblemCode
from integrations.formulas.syntax import parse
from integrations.formulas.wording import FALLBACK, formula_wording

PYTHON_WORDS = ("parenthesis", "literal", "octal", "syntax error", "EOF", "was never closed", "keyword argument")


def problem_of(formula: str):
    [problem] = parse(formula).problems
    assert problem.code == ProblemCode.SYNTAX
    return problem


@pytest.mark.parametrize(
    ("formula", "says"),
    [
        ('concat("WEB", SKU', "a bracket is never closed: this ( needs a ) after it"),
        ("[1, 2", "a bracket is never closed: this [ needs a ] after it"),
        ("SKU + 1)", "a closing bracket ) has no opening bracket before it"),
        ("(SKU + 1]", "brackets do not pair up: ( is closed by ]; close it with )"),
        ('"WEB + SKU', "a quoted text is never closed: add its closing quote"),
        ("SKU Name", "two values stand side by side: is an operator or a comma missing between them?"),
        ("Price = 10", "= does not compare: write == to compare two values"),
        ("07", "a number cannot start with 0: write 7, not 07 (or quote it as text)"),
        ("2abc", "a number runs into letters"),
        ("SKU \\ 2", "a backslash \\ belongs inside quoted text only"),
        ("SKU + ", "the formula cannot be read here"),
        ("SKU € 2", "the character € has no meaning in a formula outside quotes"),
    ],
)
def test_a_syntax_error_is_said_in_the_formula_language(formula, says):
    message = problem_of(formula).message
    assert says in message
    assert not any(word in message for word in PYTHON_WORDS), message


def test_the_place_of_the_error_is_still_given():
    problem = problem_of('concat(SKU,\n  "a" +)')
    assert (problem.line, problem.column) == (2, 8)


def test_a_python_message_not_known_here_is_not_shown():
    assert formula_wording("f-string: expecting '}'") == FALLBACK
