"""Time a 40-row template mapping with formulas over many records, against a plain-Python baseline.

    .venv/bin/python benchmarks/formulas.py [--records 10000] [--isolated-records 2000]

Prints, from one run on one machine: records per second for the baseline (a dict comprehension
doing the same field copies and the same computations in plain Python), for run_mapping()
in-process, and for run_mappings_isolated() (one forked child for the whole batch), with the
per-record time of each and its ratio to the baseline; then the fixed cost of one isolated call
of one record (the fork). Wall clock: figures vary with the machine's load.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from integrations.formulas import MappingRow, MappingSpec, RowKind, run_mapping, run_mappings_isolated  # noqa: E402

TABLES = {"Countries": {"US": "United States", "FR": "France", "DE": "Germany"}}
FORMULAS = [
    '"WEB" + SKU',
    "upper(trim(Name))",
    "round(Price * Qty * 1.2, 2)",
    'if(Qty > 10, "bulk", "retail")',
    'coalesce(Email, Parent.Email, "none")',
    'concat(Address.City, ", ", Address.Zip)',
    'format_date(parse_date(OrderDate), "%Y-%m-%d")',
    'lookup("Countries", Country, "Other")',
    'regex_replace(Phone, "[^0-9]", "")',
    "substring(SKU, 0, 3)",
]


def _spec() -> MappingSpec:
    rows = []
    for i in range(40):
        kind = i % 4
        if kind == 0:
            rows.append(MappingRow(f"F{i}", RowKind.FORMULA, formula=FORMULAS[(i // 4) % len(FORMULAS)]))
        elif kind == 1:
            rows.append(MappingRow(f"F{i}", RowKind.FIELD, source="Address.City" if i % 8 == 1 else "SKU"))
        elif kind == 2:
            rows.append(MappingRow(f"F{i}", RowKind.STATIC, value="webshop"))
        else:
            rows.append(MappingRow(f"F{i}", RowKind.TRANSLATION, source="Country", table="Countries", default="?"))
    return MappingSpec(rows=tuple(rows), mapping_filter="Qty >= 0", error_filter='if(is_empty(SKU), "no SKU", "")')


def _record(i: int) -> dict:
    return {
        "SKU": f"SKU{i:06d}",
        "Name": f"  Product {i} ",
        "Price": 9.99 + i % 50,
        "Qty": i % 25,
        "Email": None if i % 3 else f"c{i}@example.com",
        "Address": {"City": "Paris", "Zip": f"{75000 + i % 20}"},
        "OrderDate": "2024-05-31T10:00:00+00:00",
        "Country": ["US", "FR", "DE", "IT"][i % 4],
        "Phone": f"(555) {i % 1000:03d}-1234",
    }


def _baseline(record: dict, parent: dict) -> dict:
    """The same work in plain Python, with no checks: the lower bound."""
    import re
    from datetime import datetime

    out = {}
    for i in range(40):
        kind = i % 4
        if kind == 0:
            which = (i // 4) % len(FORMULAS)
            out[f"F{i}"] = [
                lambda: "WEB" + record["SKU"],
                lambda: record["Name"].strip().upper(),
                lambda: round(record["Price"] * record["Qty"] * 1.2, 2),
                lambda: "bulk" if record["Qty"] > 10 else "retail",
                lambda: record["Email"] or parent["Email"] or "none",
                lambda: f"{record['Address']['City']}, {record['Address']['Zip']}",
                lambda: datetime.fromisoformat(record["OrderDate"]).strftime("%Y-%m-%d"),
                lambda: TABLES["Countries"].get(record["Country"], "Other"),
                lambda: re.sub("[^0-9]", "", record["Phone"]),
                lambda: record["SKU"][:3],
            ][which]()
        elif kind == 1:
            out[f"F{i}"] = record["Address"]["City"] if i % 8 == 1 else record["SKU"]
        elif kind == 2:
            out[f"F{i}"] = "webshop"
        else:
            out[f"F{i}"] = TABLES["Countries"].get(record["Country"], "?")
    return out


def _timed(label: str, count: int, run, baseline: float | None) -> float:
    started = time.perf_counter()
    run()
    elapsed = time.perf_counter() - started
    per_record = elapsed / count
    ratio = f"{per_record / baseline:8.1f}x" if baseline else "   1.0x"
    print(f"{label:<34} {count:>7,} records {count / elapsed:>10,.0f}/s {per_record * 1e6:>9.1f} µs/record {ratio}")
    return per_record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--isolated-records", type=int, default=2_000)
    args = parser.parse_args()
    spec, parent = _spec(), {"Email": "parent@example.com"}
    records = [_record(i) for i in range(args.records)]
    first = run_mapping(spec, records[0], parent=parent, tables=TABLES)
    assert first.ok, first.failed_rows()

    print(f"A 40-row mapping (10 rows of each kind) and both filters; Python {sys.version.split()[0]}")
    base = _timed("plain Python baseline", len(records), lambda: [_baseline(r, parent) for r in records], None)
    _timed(
        "run_mapping in-process",
        len(records),
        lambda: [run_mapping(spec, r, parent=parent, tables=TABLES) for r in records],
        base,
    )
    isolated = records[: args.isolated_records]
    jobs = [(spec, r, parent, TABLES) for r in isolated]
    _timed("run_mappings_isolated (one child)", len(isolated), lambda: run_mappings_isolated(jobs, time_limit=30), base)
    single = [(spec, records[0], parent, TABLES)]
    calls = 20
    started = time.perf_counter()
    for _ in range(calls):
        run_mappings_isolated(single)
    print(
        f"one isolated call of one record (fork, run, answer): {(time.perf_counter() - started) / calls * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
