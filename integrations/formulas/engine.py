"""Evaluating formulas: a simpleeval evaluator narrowed to the checked syntax and JSON data.

simpleeval walks the syntax tree node by node with its own handlers; this subclass keeps only
the handlers for the syntax that syntax.py allows, replaces its operators by the typed and
bounded ones of operators.py and its functions by the library, and resolves names, `.field`
and `[index]` by dict and list indexing alone (never getattr), so nothing but the record, the
parent record, the translation tables and the library can be reached.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from simpleeval import InvalidExpression, SimpleEval

from .errors import (
    DivisionByZero,
    FormulaError,
    FormulaProblem,
    FormulaRefused,
    LimitExceeded,
    ProblemCode,
    UnknownName,
)
from .functions import FUNCTIONS, IMPURE, is_empty
from .operators import OPERATORS
from .syntax import PARENT, function_name, names_problems, parse, suggest
from .values import checked_number, checked_text, copy_json, step

_LAZY_MISSING = (UnknownName,)


class Evaluation(SimpleEval):
    """One record's evaluation context: reused for every formula of a mapping over that record.

    The record, parent and tables must already be private copies (see prepare()).
    """

    def __init__(self, record: dict, parent: dict | None = None, tables: dict | None = None) -> None:
        super().__init__(operators=OPERATORS, functions={}, names={})
        self.record = record
        self.parent = parent
        self.tables = tables or {}
        self.nodes = {
            ast.Name: self._eval_name,
            ast.Constant: self._eval_constant,
            ast.UnaryOp: self._eval_unaryop,
            ast.BinOp: self._eval_binop,
            ast.BoolOp: self._eval_boolop,
            ast.Compare: self._eval_compare,
            ast.IfExp: self._eval_ifexp,
            ast.Call: self._eval_call,
            ast.Attribute: self._eval_attribute,
            ast.Subscript: self._eval_subscript,
        }

    def run(self, text: str) -> Any:
        """The value of a formula over this record; FormulaError for every failure."""
        parsed = parse(text)
        if parsed.problems:
            raise FormulaRefused(list(parsed.problems))
        return self.run_tree(parsed.tree.body, text)

    def run_tree(self, node: ast.AST, text: str) -> Any:
        self.expr = text
        try:
            return self._eval(node)
        except FormulaError:
            raise
        except ZeroDivisionError:
            raise DivisionByZero("division by zero") from None
        except (OverflowError, RecursionError):
            raise LimitExceeded("the result is too large to compute") from None
        except InvalidExpression as exc:
            raise FormulaError(str(exc)) from None
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, ArithmeticError, re.error) as exc:
            # Not expected (every operator and function checks its input), yet never a crash:
            # decimal.InvalidOperation is an ArithmeticError, re.error is not a ValueError.
            raise FormulaError(f"the formula could not be evaluated ({type(exc).__name__})") from None

    def _eval_name(self, node: ast.Name) -> Any:
        if node.id == PARENT:
            if self.parent is None:
                raise UnknownName("Parent is only available in the mapping of a child collection")
            return self.parent
        try:
            return self.record[node.id]
        except KeyError:
            raise UnknownName(_missing_field(node.id, self.record)) from None

    def _eval_attribute(self, node: ast.Attribute) -> Any:
        container = self._eval(node.value)
        if type(container) is dict and node.attr in container:
            return container[node.attr]
        return step(container, node.attr, ast.unparse(node.value))

    def _eval_subscript(self, node: ast.Subscript) -> Any:
        container = self._eval(node.value)
        key = self._eval(node.slice)
        return step(container, key, ast.unparse(node.value))

    def _eval_call(self, node: ast.Call) -> Any:
        name = function_name(node.func.id)
        definition = FUNCTIONS[name]  # check_formula refused unknown functions
        if definition.lazy:
            return self._lazy_call(name, node.args)
        args = [self._eval(a) for a in node.args]
        result = definition.impl(self, *args) if definition.contextual else definition.impl(*args)
        if isinstance(result, str):
            return checked_text(result)
        if isinstance(result, int | float) and not isinstance(result, bool):
            return checked_number(result)
        return result

    def _lazy_call(self, name: str, args: list[ast.AST]) -> Any:
        if name == "if":
            return self._eval(args[1]) if self._eval(args[0]) else self._eval(args[2])
        if name == "is_empty":
            return is_empty(self._maybe(args[0]))
        for arg in args:  # coalesce
            value = self._maybe(arg)
            if not is_empty(value):
                return value
        return None

    def _maybe(self, node: ast.AST) -> Any:
        """The value of an argument, or None where it reads a field the record does not have."""
        try:
            return self._eval(node)
        except UnknownName:
            return None


def _missing_field(name: str, record: dict) -> str:
    if name in FUNCTIONS:
        return f"{name} is a function: call it as {FUNCTIONS[name].signature}"
    close = suggest(name, record)
    hint = f" (did you mean {close}?)" if close else ""
    return (
        f"the record has no field {name}{hint}; "
        f"coalesce({name}, ...) or is_empty({name}) treat a missing field as empty"
    )


def prepare(record: Any, parent: Any = None, tables: Any = None) -> Evaluation:
    """An evaluation over private copies of the caller's data (which must be plain JSON)."""
    if not isinstance(record, dict):
        raise ValueError("the record must be a JSON object")
    if parent is not None and not isinstance(parent, dict):
        raise ValueError("the parent record must be a JSON object")
    copied_tables = {}
    for name, table in (tables or {}).items():
        if not isinstance(table, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
            raise ValueError(f"the translation table {name!r} must map text to text")
        copied_tables[str(name)] = dict(table)
    return Evaluation(copy_json(record, "the record"), copy_json(parent, "the parent record"), copied_tables)


def evaluate_formula(
    text: str, record: dict, *, parent: dict | None = None, tables: dict[str, dict[str, str]] | None = None
) -> Any:
    """The value of a formula over a record, in this process (no time or memory limit: previews
    and test runs use isolation.run_mappings_isolated). Dates come back as datetimes; a mapping
    writes them as ISO 8601 text. Raises a FormulaError subclass with a message for the integrator."""
    return prepare(record, parent, tables).run(text)


def check_formula(
    text: str, *, field_names: set[str] | None = None, table_names: set[str] = frozenset()
) -> list[FormulaProblem]:
    """Every reason the formula cannot be saved (empty when it can). Never raises.

    Beyond the syntax, every part of the formula that reads no field (`9**9**9`, `"a" * 10**9`,
    `1/0`) is computed here, with the same limits as at run time, so that it is refused now
    rather than when it runs (regular expressions excepted: they only run in the child process).
    """
    try:
        parsed = parse(text)
        if parsed.problems:
            return list(parsed.problems)
        problems = names_problems(parsed, field_names, set(table_names))
        return problems + _constant_problems(parsed)
    except Exception as exc:  # noqa: BLE001 - a check must answer, whatever the text
        return [FormulaProblem(ProblemCode.SYNTAX, f"the formula could not be checked ({type(exc).__name__})")]


def _constant_problems(parsed) -> list[FormulaProblem]:
    problems = []
    evaluation = Evaluation({})
    pending = [parsed.tree.body]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Constant):
            continue
        if _is_constant(node):
            try:
                evaluation.run_tree(node, parsed.text)
            except FormulaError as exc:
                problems.append(FormulaProblem(ProblemCode.CONSTANT, exc.message, *parsed.position(node)))
            continue
        pending.extend(
            child
            for child in ast.iter_child_nodes(node)
            if isinstance(child, ast.expr) and child is not getattr(node, "func", None)
        )
    return problems


def _is_constant(node: ast.AST) -> bool:
    called = {id(child.func) for child in ast.walk(node) if isinstance(child, ast.Call)}
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and id(child) not in called:
            return False
        if isinstance(child, ast.Call) and function_name(child.func.id) in IMPURE:
            return False
    return True
