"""The dynamic formula language's help page, with examples a signed-in person can run."""

import json

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.http import require_POST

from integrations.formulas import (
    FUNCTIONS,
    InputError,
    MappingRow,
    MappingSpec,
    RowKind,
    Runaway,
    check_formula,
    load_sample,
    run_mappings_isolated,
)

CATEGORY_ORDER = ["text", "numbers", "dates", "logic", "lookups"]
# Each run forks a sandboxed child; a person gets a bounded number a minute.
TRIES_PER_MINUTE = 30


class TryForm(forms.Form):
    formula = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    sample = forms.CharField(
        label="Sample record (JSON)",
        max_length=1_100_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        initial='{"SKU": "A100", "Price": 19.5}',
    )


def _functions_by_category():
    groups: dict[str, list] = {}
    for definition in FUNCTIONS.values():
        groups.setdefault(definition.category, []).append(
            (definition, json.dumps(definition.example.record), json.dumps(definition.example.result))
        )
    order = {name: n for n, name in enumerate(CATEGORY_ORDER)}
    return sorted(groups.items(), key=lambda item: order.get(item[0], len(order)))


@login_not_required
def formula_help(request):
    context = {"groups": _functions_by_category(), "form": TryForm(initial={"formula": '"WEB" + SKU'})}
    return render(request, "integrations/mappings/formula_help.html", context)


@require_POST
def formula_try(request):
    form = TryForm(request.POST)
    outcome = _run(request, form) if form.is_valid() else {"problems": _form_problems(form)}
    template = (
        "integrations/mappings/_formula_try_result.html" if request.htmx else "integrations/mappings/formula_help.html"
    )
    context = {"outcome": outcome, "form": form, "groups": [] if request.htmx else _functions_by_category()}
    return render(request, template, context, status=200 if outcome.get("ok") else 400)


def _form_problems(form) -> list[str]:
    return [
        f"{form.fields[name].label or name.capitalize()}: {error}"
        for name, errors in form.errors.items()
        for error in errors
    ]


def _run(request, form) -> dict:
    key = f"formula-try:{request.user.pk}"
    cache.add(key, 0, 60)
    if cache.incr(key) > TRIES_PER_MINUTE:
        return {"problems": ["You ran a lot of formulas in the last minute. Wait a moment and try again."]}
    try:
        record = load_sample(form.cleaned_data["sample"])
    except InputError as error:
        return {"problems": [f"Sample record: {error}"]}
    formula = form.cleaned_data["formula"]
    problems = check_formula(formula, field_names=None, table_names=set())
    if problems:
        return {"problems": [f"Column {p.column}: {p.message}" if p.column else p.message for p in problems]}
    spec = MappingSpec(rows=[MappingRow(target="result", kind=RowKind.FORMULA, formula=formula)])
    result = run_mappings_isolated([(spec, record, None, None)], time_limit=2.0)[0]
    if isinstance(result, Runaway):
        return {"problems": [result.message]}
    row = result.rows[0]
    if not row.ok:
        return {"problems": [row.error]}
    return {"ok": True, "value": json.dumps(row.value, indent=2, ensure_ascii=False)}
