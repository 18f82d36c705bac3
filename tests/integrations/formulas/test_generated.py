"""Hypothesis-generated records and expressions: whatever an integrator writes and whatever a
source system sends, the engine answers with a value or its own FormulaError, never anything else.

"could not be evaluated" is the message the engine gives when it had to wrap an exception it did
not expect, so it counts as a failure here too."""

import os
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.formulas import (
    FUNCTIONS,
    FormulaError,
    MappingRow,
    MappingSpec,
    RowKind,
    check_formula,
    evaluate_formula,
    run_mapping,
)

FIELDS = ["SKU", "Qty", "Name", "Lines", "Address", "Missing"]
TABLES = {"T": {"a": "b", "1": "one"}}
# Derandomized, so the suite gives the same answer on every run. To explore further:
# FORMULA_EXPLORE=5000 pytest tests/integrations/formulas/test_generated.py (random, that many examples).
EXPLORE = int(os.environ.get("FORMULA_EXPLORE") or 0)
SETTINGS = settings(
    max_examples=EXPLORE or 300,
    derandomize=not EXPLORE,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
records = st.fixed_dictionaries(
    {"SKU": json_scalars, "Qty": json_scalars},
    optional={"Name": json_values, "Lines": json_values, "Address": json_values, "Other": json_values},
)

literals = (
    st.integers(-(10**6), 10**6).map(str)
    | st.sampled_from(["0", "-2.5", "1e308", "9**99", "10**9", "None", "True", "False"])
    | st.text(string.printable, max_size=12).map(lambda text: '"' + text.replace("\\", "").replace('"', "") + '"')
)
# Mostly names the generated records have, so that most expressions get past the name lookup and
# exercise the operators and functions; a few that may be missing.
names = st.sampled_from(["SKU", "Qty", "Name", "Lines", "Address"] * 4 + ["Missing", "Parent", "Parent.a"])
operators = st.sampled_from(["+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", ">=", " and ", " or ", " in "])


def _call(children):
    """A call of a library function with a number of arguments it accepts."""

    def arguments(name):
        definition = FUNCTIONS[name]
        most = definition.max_args if definition.max_args is not None else definition.min_args + 2
        return st.lists(children, min_size=definition.min_args, max_size=most).map(
            lambda args: f"{name}({', '.join(args)})"
        )

    return st.sampled_from(sorted(FUNCTIONS)).flatmap(arguments)


def _combine(children):
    binary = st.tuples(children, operators, children).map(lambda parts: f"({parts[0]}{parts[1]}{parts[2]})")
    negated = children.map(lambda inner: f"not {inner}")
    conditional = st.tuples(children, children, children).map(lambda p: f"({p[0]} if {p[1]} else {p[2]})")
    return binary | negated | conditional | _call(children) | _call(children)


expressions = st.recursive(literals | names, _combine, max_leaves=12)


def _only_formula_errors(call) -> None:
    try:
        call()
    except FormulaError as error:
        assert "could not be evaluated" not in error.message


@SETTINGS
@given(formula=expressions, record=records, parent=st.none() | records)
def test_generated_expressions_over_generated_records_raise_only_formula_errors(formula, record, parent):
    assert isinstance(check_formula(formula, field_names=set(record), table_names=set(TABLES)), list)
    _only_formula_errors(lambda: evaluate_formula(formula, record, parent=parent, tables=TABLES))


@SETTINGS
@given(text=st.text(max_size=200))
def test_any_text_saved_as_a_formula_is_checked_without_raising(text):
    problems = check_formula(text, field_names=set(FIELDS), table_names=set(TABLES))
    assert all(problem.message for problem in problems)


@SETTINGS
@given(record=records, parent=st.none() | records, formulas=st.lists(expressions, min_size=1, max_size=4))
def test_a_mapping_over_generated_records_reports_rows_instead_of_raising(record, parent, formulas):
    rows = [MappingRow(target=f"F{i}", kind=RowKind.FORMULA, formula=formula) for i, formula in enumerate(formulas)]
    rows += [
        MappingRow(target="Copied", kind=RowKind.FIELD, source="SKU"),
        MappingRow(target="Fixed", kind=RowKind.STATIC, value="x"),
        MappingRow(target="Translated", kind=RowKind.TRANSLATION, source="Name", table="T", default="?"),
    ]
    spec = MappingSpec(rows=rows, mapping_filter=formulas[0])

    result = run_mapping(spec, record, parent=parent, tables=TABLES)

    for row in result.rows:
        assert "could not be evaluated" not in (row.error or "")
