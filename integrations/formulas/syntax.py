"""Parsing and checking formulas: what is refused when a formula is saved, and why.

A formula is parsed by Python's own parser (mode "eval": one expression, so no statements, no
`import`), then held to an allowlist of syntax far narrower than simpleeval's: no attribute
calls (so no str.format and no method at all), no names or fields starting with `_`, no
comprehensions, lambdas, f-strings, slices, walrus, collection literals, `is` or bitwise
operators, and a bounded length and depth. The same check runs before every evaluation.

`if` is a Python keyword, yet the language offers `if(condition, then, otherwise)`: before
parsing, an `if` that starts a call (it does not follow a value, unlike the `x if c else y`
expression) is renamed `if_`; columns in messages are mapped back to the text as written.
"""

from __future__ import annotations

import ast
import difflib
import io
import tokenize
import warnings
from dataclasses import dataclass
from functools import lru_cache

from .errors import FormulaProblem, ProblemCode
from .functions import FUNCTIONS
from .limits import MAX_FORMULA_CHARS, MAX_FORMULA_DEPTH
from .regexes import pattern_problem
from .wording import formula_wording

PARENT = "Parent"
IF_CALL = "if_"
_OPERATORS = (
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.Mod,
    ast.Pow,
    ast.USub,
    ast.UAdd,
    ast.Not,
    ast.And,
    ast.Or,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
)
_ALLOWED = (
    ast.Expression,
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.Attribute,
    ast.Subscript,
    *_OPERATORS,
)
_CONSTANT_TYPES = (str, int, float, bool, type(None))
_REFUSED_WORDS = {
    ast.Lambda: "lambda functions",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings: use concat()",
    ast.FormattedValue: "f-strings: use concat()",
    ast.NamedExpr: "assignments (:=)",
    ast.Slice: "slices: use substring(text, start, length)",
    ast.List: "list literals",
    ast.Tuple: "tuples",
    ast.Dict: "object literals",
    ast.Set: "set literals",
    ast.Starred: "* arguments",
    ast.Is: "`is`: use ==",
    ast.IsNot: "`is not`: use !=",
    ast.BitAnd: "bitwise operators: use and",
    ast.BitOr: "bitwise operators: use or",
    ast.BitXor: "bitwise operators",
    ast.Invert: "bitwise operators",
    ast.LShift: "shift operators",
    ast.RShift: "shift operators",
    ast.MatMult: "the @ operator",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}
_KEYWORDS_BEFORE_A_VALUE = {"if", "else", "and", "or", "not", "in", "is"}


@dataclass(frozen=True)
class Parsed:
    """A formula's syntax tree (None when refused) and the problems of its shape."""

    text: str
    tree: ast.Expression | None
    problems: tuple[FormulaProblem, ...]
    lines: tuple[str, ...]
    shifts: tuple[tuple[int, int], ...]  # (line, column in the rewritten line) of each inserted "_"

    def position(self, node: ast.AST) -> tuple[int | None, int | None]:
        """1-based line and character column of a node, in the text as the integrator wrote it."""
        line = getattr(node, "lineno", None)
        offset = getattr(node, "col_offset", None)
        if line is None or offset is None or line > len(self.lines):
            return None, None
        column = len(self.lines[line - 1].encode()[:offset].decode(errors="replace"))
        return self.shown(line, column)

    def shown(self, line: int, column: int) -> tuple[int, int]:
        """A 0-based column of the parsed (wrapped, rewritten) text as the integrator's line and column."""
        column -= sum(1 for at_line, at in self.shifts if at_line == line and at <= column)
        written = len(self.lines) - 2  # the text is parsed as "(\n" + text + "\n)"
        if line <= 1:
            return 1, 1
        if line > written + 1:
            return written, len(self.lines[written]) + 1
        return line - 1, column + 1


def _rewrite_if_calls(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type
            not in (
                tokenize.NL,
                tokenize.NEWLINE,
                tokenize.COMMENT,
                tokenize.INDENT,
                tokenize.DEDENT,
                tokenize.ENDMARKER,
            )
        ]
    except (tokenize.TokenError, SyntaxError):
        return text, ()
    calls = []
    for index, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string != "if" or tokens[index + 1].string != "(":
            continue
        before = tokens[index - 1] if index else None
        if (
            before is None
            or (before.type == tokenize.OP and before.string not in (")", "]", "}"))
            or (before.type == tokenize.NAME and before.string in _KEYWORDS_BEFORE_A_VALUE)
        ):
            calls.append(token.end)
    if not calls:
        return text, ()
    lines = text.split("\n")
    shifts = []
    for line, column in sorted(calls, reverse=True):
        lines[line - 1] = lines[line - 1][:column] + "_" + lines[line - 1][column:]
        shifts.append((line, column))
    # Columns in the rewritten line: earlier insertions on the same line move later ones by one.
    shifted = tuple(
        (line, column + sum(1 for other_line, other in shifts if other_line == line and other < column))
        for line, column in shifts
    )
    return "\n".join(lines), shifted


@lru_cache(maxsize=2048)
def parse(text: str) -> Parsed:
    """Parse and check the shape of a formula (cached: mappings run the same formulas again and again)."""
    if not isinstance(text, str):
        return Parsed("", None, (FormulaProblem(ProblemCode.SYNTAX, "a formula must be text"),), (), ())
    if len(text) > MAX_FORMULA_CHARS:
        problem = FormulaProblem(
            ProblemCode.TOO_LONG, f"the formula is {len(text):,} characters long; at most {MAX_FORMULA_CHARS:,}"
        )
        return Parsed(text, None, (problem,), (), ())
    if not text.strip():
        return Parsed(text, None, (FormulaProblem(ProblemCode.SYNTAX, "the formula is empty"),), (), ())
    # Parenthesised so that a formula may span lines; the "(" line shifts lines by one.
    source, shifts = _rewrite_if_calls("(\n" + text.replace("\r\n", "\n").replace("\r", "\n") + "\n)")
    lines = tuple(source.split("\n"))
    parsed = Parsed(text, None, (), lines, shifts)
    try:
        with warnings.catch_warnings():  # "\d" in a pattern is an invalid escape to Python, not to us
            warnings.simplefilter("ignore")
            tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        line, column = parsed.shown(exc.lineno or 2, (exc.offset or 1) - 1)
        at_wrapper = (exc.lineno or 0) >= len(lines)
        message = formula_wording(exc.msg or "", at_closing_wrapper=at_wrapper)
        problem = FormulaProblem(ProblemCode.SYNTAX, message, line, column)
        return Parsed(text, None, (problem,), lines, shifts)
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        message = "the formula is too deeply nested" if not isinstance(exc, ValueError) else formula_wording(str(exc))
        return Parsed(text, None, (FormulaProblem(ProblemCode.SYNTAX, message),), lines, shifts)
    problems = _shape_problems(tree, parsed)
    return Parsed(text, None if problems else tree, tuple(problems), lines, shifts)


def _depth(tree: ast.AST) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _shape_problems(tree: ast.Expression, parsed: Parsed) -> list[FormulaProblem]:
    if _depth(tree) > MAX_FORMULA_DEPTH:
        return [
            FormulaProblem(ProblemCode.TOO_DEEP, f"the formula is nested more than {MAX_FORMULA_DEPTH} levels deep")
        ]
    problems = []

    def add(code: ProblemCode, message: str, node: ast.AST) -> None:
        problems.append(FormulaProblem(code, message, *parsed.position(node)))

    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            word = _REFUSED_WORDS.get(type(node), type(node).__name__)
            add(ProblemCode.DISALLOWED, f"not allowed in a formula: {word}", node)
        elif isinstance(node, ast.Constant) and not isinstance(node.value, _CONSTANT_TYPES):
            add(ProblemCode.DISALLOWED, f"not allowed in a formula: {type(node.value).__name__} literals", node)
        elif isinstance(node, ast.Name) and node.id.startswith("_"):
            add(ProblemCode.DISALLOWED, f"names starting with _ are not allowed: {node.id}", node)
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            add(
                ProblemCode.DISALLOWED,
                f'fields starting with _ are not allowed after a dot: .{node.attr} (use field("...") for such a field)',
                node,
            )
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            pass  # reported as the Slice node itself
        elif isinstance(node, ast.Call):
            _call_problems(node, add)
    return problems


def _call_problems(node: ast.Call, add) -> None:
    if not isinstance(node.func, ast.Name):
        add(ProblemCode.DISALLOWED, "only the library's functions can be called (no methods such as .format())", node)
        return
    name = function_name(node.func.id)
    if node.keywords:
        add(ProblemCode.DISALLOWED, f"{name}() takes no named arguments", node)
    definition = FUNCTIONS.get(name)
    if definition is None:
        if not name.startswith("_"):
            close = difflib.get_close_matches(name, FUNCTIONS, n=1)
            hint = f": did you mean {close[0]}()?" if close else ""
            add(ProblemCode.UNKNOWN_FUNCTION, f"unknown function {name}(){hint}", node)
        return
    count = len(node.args)
    if count < definition.min_args or (definition.max_args is not None and count > definition.max_args):
        add(ProblemCode.ARGUMENTS, f"{name}() takes {_arity(definition)}, not {count}: {definition.signature}", node)
        return
    if name in ("regex_match", "regex_replace") and _is_text(node.args[1]):
        problem = pattern_problem(node.args[1].value)
        if problem:
            add(ProblemCode.PATTERN, problem, node.args[1])


def _arity(definition) -> str:
    low, high = definition.min_args, definition.max_args
    if high is None:
        return f"at least {low} argument{'s' if low != 1 else ''}"
    if low == high:
        return f"{low} argument{'s' if low != 1 else ''}"
    return f"{low} to {high} arguments"


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def function_name(identifier: str) -> str:
    return "if" if identifier == IF_CALL else identifier


def names_problems(parsed: Parsed, field_names: set[str] | None, table_names: set[str]) -> list[FormulaProblem]:
    """Unknown fields (when the fields are known) and unknown translation tables."""
    problems = []
    called = {id(node.func) for node in ast.walk(parsed.tree) if isinstance(node, ast.Call)}
    for node in ast.walk(parsed.tree):
        if isinstance(node, ast.Name) and field_names is not None and id(node) not in called:
            if node.id != PARENT and node.id not in field_names:
                problems.append(
                    FormulaProblem(
                        ProblemCode.UNKNOWN_NAME, _unknown_name(node.id, field_names), *parsed.position(node)
                    )
                )
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "lookup":
            table = node.args[0]
            if not _is_text(table):
                problems.append(
                    FormulaProblem(
                        ProblemCode.UNKNOWN_TABLE,
                        "lookup() needs the translation table's name in quotes",
                        *parsed.position(table),
                    )
                )
            elif table.value not in table_names:
                known = ", ".join(sorted(table_names)) or "none yet"
                problems.append(
                    FormulaProblem(
                        ProblemCode.UNKNOWN_TABLE,
                        f"no translation table named {table.value!r} (tables: {known})",
                        *parsed.position(table),
                    )
                )
    return problems


def _unknown_name(name: str, field_names: set[str]) -> str:
    if name in FUNCTIONS:
        return f"{name} is a function: call it as {FUNCTIONS[name].signature}"
    close = suggest(name, field_names)
    hint = f": did you mean {close}?" if close else ""
    return f"unknown field {name}{hint}"


def suggest(name: str, candidates) -> str | None:
    """The candidate the integrator probably meant: same letters in another case, else a close spelling."""
    candidates = [c for c in candidates if isinstance(c, str)]
    for candidate in candidates:
        if candidate.lower() == name.lower():
            return candidate
    close = difflib.get_close_matches(name, candidates, n=1)
    return close[0] if close else None
