"""Dynamic formulas and template mappings: a sandboxed expression language and its evaluator.

Pure Python (no models, no views), called by the mapping editor, its preview and the mapping
test runner:

    problems = check_formula('"WEB" + SKU', field_names={"SKU"}, table_names=set())   # on save
    value = evaluate_formula('"WEB" + SKU', {"SKU": "A100"})                           # in-process
    result = run_mapping(spec, record, parent=None, tables={"Countries": {...}})
    results = run_mappings_isolated([(spec, record, None, tables)], time_limit=2.0)    # previews, tests
    diffs = compare(expected_output, result.output)

FUNCTIONS documents the function library for the help page, each with a runnable example.
"""

from .compare import DiffKind, FieldDiff, compare
from .engine import check_formula, evaluate_formula
from .errors import (
    DivisionByZero,
    FormulaError,
    FormulaProblem,
    FormulaRefused,
    FormulaTypeError,
    FormulaValueError,
    LimitExceeded,
    PatternRefused,
    ProblemCode,
    TranslationMissing,
    UnknownName,
)
from .functions import FUNCTIONS, Example, FunctionDef
from .inputs import InputError, load_sample, parse_table
from .isolation import NotRun, Runaway, run_isolated, run_mappings_isolated
from .mapping import FilterOutcome, MappingResult, MappingRow, MappingSpec, RowKind, RowResult, Status, run_mapping

__all__ = [
    "FUNCTIONS",
    "DiffKind",
    "DivisionByZero",
    "Example",
    "FieldDiff",
    "FilterOutcome",
    "FormulaError",
    "FormulaProblem",
    "FormulaRefused",
    "FormulaTypeError",
    "FormulaValueError",
    "FunctionDef",
    "InputError",
    "LimitExceeded",
    "MappingResult",
    "MappingRow",
    "MappingSpec",
    "NotRun",
    "PatternRefused",
    "ProblemCode",
    "RowKind",
    "RowResult",
    "Runaway",
    "Status",
    "TranslationMissing",
    "UnknownName",
    "check_formula",
    "compare",
    "evaluate_formula",
    "load_sample",
    "parse_table",
    "run_isolated",
    "run_mapping",
    "run_mappings_isolated",
]
