"""Time analyse() over the OpenAPI corpus, against a plain parse of the same files.

    .venv/bin/python benchmarks/openapi_corpus.py [--repeat 3] [--stock-validator] [name-filter]

Per file: the baseline (json.loads, or yaml.load with libyaml's safe loader: the fastest safe
parse there is), then analyse()'s stages: load (decode, alias and depth checks, parse,
reference sanitising), validate (in the child process, wall clock), propose (beside it), total,
and total / baseline. Then the slowest file, the totals, and the cost of the child process
measured on a tiny document. With --stock-validator, openapi-spec-validator's own 2.0 validator
is timed in-process on the same documents, for comparison with the validate column.
Timings are wall clock and vary with the machine's load: use --repeat to keep the best of N.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from integrations.openapi import Analysis, analyse  # noqa: E402
from integrations.openapi.loading import load_document  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "openapi-corpus"
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _best(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of `repeat` runs, with that run's result (so its stage timings match)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = run()
        elapsed = time.perf_counter() - started
        if elapsed < best:
            best, result = elapsed, outcome
    return best, result


def _baseline(raw: bytes, format: str) -> Any:
    if format == "json":
        return json.loads(raw)
    return yaml.load(raw, Loader=_SAFE_LOADER)  # noqa: S506 - libyaml's safe loader


def _stock_validation(raw: bytes, filename: str) -> float | None:
    """openapi-spec-validator as shipped, in-process, on the 2.0 documents it can finish."""
    from openapi_spec_validator import OpenAPIV2SpecValidator

    from integrations.openapi.refs import sanitize_references

    document = load_document(raw, filename).document
    if not isinstance(document, dict) or "swagger" not in document:
        return None
    sanitize_references(document)  # it must not fetch anything here either
    started = time.perf_counter()
    try:
        list(OpenAPIV2SpecValidator(document).iter_errors())
    except Exception:  # noqa: BLE001 - a crash of the stock validator is a figure too
        return None
    return time.perf_counter() - started


def _outcome(analysis: Analysis) -> str:
    if analysis.refused:
        return "refused"
    return f"{len(analysis.errors)} errors" if analysis.errors else "valid"


def _row(path: Path, fmt: str, repeat: int, stock: bool) -> dict[str, Any]:
    raw = path.read_bytes()
    baseline, _ = _best(repeat, lambda: _baseline(raw, fmt))
    total, analysis = _best(repeat, lambda: analyse(raw, path.name))
    return {
        "file": path.name,
        "kb": len(raw) // 1024,
        "outcome": _outcome(analysis),
        "baseline": baseline,
        "load": analysis.timings.load,
        "validate": analysis.timings.validate,
        "propose": analysis.timings.propose,
        "total": total,
        "stock": _stock_validation(raw, path.name) if stock else None,
    }


# (heading, width, how a row's value is written)
_COLUMNS = (
    ("file", 60, lambda row: row["file"][:60]),
    ("KB", 5, lambda row: str(row["kb"])),
    ("outcome", 10, lambda row: row["outcome"]),
    ("base s", 7, lambda row: f"{row['baseline']:.3f}"),
    ("load", 6, lambda row: f"{row['load']:.2f}"),
    ("valid.", 6, lambda row: f"{row['validate']:.2f}"),
    ("prop.", 6, lambda row: f"{row['propose']:.2f}"),
    ("total", 6, lambda row: f"{row['total']:.2f}"),
    ("x base", 7, lambda row: f"{row['total'] / row['baseline']:.1f}"),
)
_STOCK_COLUMN = ("stock v.", 8, lambda row: "-" if row["stock"] is None else f"{row['stock']:.2f}")


def _line(cells: list[str], widths: list[int]) -> str:
    """The first cell left-aligned, the figures right-aligned."""
    return " ".join(
        cell.ljust(width) if i == 0 else cell.rjust(width)
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
    )


def _print_table(rows: list[dict[str, Any]], stock: bool) -> None:
    columns = (*_COLUMNS, _STOCK_COLUMN) if stock else _COLUMNS
    widths = [width for _, width, _ in columns]
    print(_line([title for title, _, _ in columns], widths))
    for row in rows:
        print(_line([show(row) for _, _, show in columns], widths))


def _print_summary(rows: list[dict[str, Any]]) -> None:
    slowest = max(rows, key=lambda row: row["total"])
    total = sum(row["total"] for row in rows)
    baseline = sum(row["baseline"] for row in rows)
    print()
    print(f"slowest: {slowest['file']} {slowest['total']:.2f} s ({slowest['outcome']})")
    print(
        f"total:   {total:.2f} s for {len(rows)} files; baseline parse {baseline:.2f} s; ratio {total / baseline:.1f}"
    )
    loads = sum(row["load"] for row in rows)
    print(f"load stage alone: {loads:.2f} s, {loads / baseline:.2f} x the baseline parse")


def _child_overhead(samples: int = 30) -> tuple[float, float]:
    """Median seconds of analyse() on a tiny document without and with the child process."""
    raw = b'{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {}}}}}'
    inline = [_best(1, lambda: analyse(raw, "a.json", time_limit=None))[0] for _ in range(samples)]
    forked = [_best(1, lambda: analyse(raw, "a.json"))[0] for _ in range(samples)]
    return statistics.median(inline), statistics.median(forked)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("filter", nargs="?", default="", help="only files whose name contains this")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="keep the best of N runs per file")
    parser.add_argument("--stock-validator", action="store_true", help="also time the validator as shipped")
    args = parser.parse_args(argv)
    sources = args.corpus / "SOURCES.tsv"
    if not sources.is_file():
        print(f"no corpus at {args.corpus.resolve()}", file=sys.stderr)
        return 2
    with sources.open(newline="") as handle:
        entries = [row for row in csv.DictReader(handle, delimiter="\t") if args.filter in row["file"]]
    rows = [_row(args.corpus / row["file"], row["format"], args.repeat, args.stock_validator) for row in entries]
    _print_table(rows, args.stock_validator)
    _print_summary(rows)
    inline, forked = _child_overhead()
    print(f"child process: a tiny document takes {inline * 1000:.1f} ms in-process, {forked * 1000:.1f} ms with")
    print(f"the forked, time-limited validation: {(forked - inline) * 1000:.1f} ms of overhead per analysis")
    return 0


if __name__ == "__main__":
    sys.exit(main())
