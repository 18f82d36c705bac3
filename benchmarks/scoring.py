"""Time the nightly scoring run on PostgreSQL against a single raw SQL pass over the same rows.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/scoring.py [--sizes 1000,10000] [--reviews 100] [--subscriptions 50] \\
        [--database NAME] [--keep]

For each size it creates a database of its own on that server (NAME_SIZE, NAME bench_scoring_h
unless told; dropped at the end unless --keep, for profiling), migrates it, and fills it with the
marketplace's generator (marketplace.scale, what `manage.py generate_scale_world` runs): that
many integrations at every tier, half as many applications, and `--reviews` reviews and
`--subscriptions` subscriptions per integration over the Certified ones (cancellations, customers
who came back, answers and disputes among them), then vacuums and analyses it as autovacuum would
have done to rows gathered over three years, and checkpoints. At each size it prints:

- the floor: one raw SQL pass that reads every row the rules read (reviews with their disputes,
  subscriptions, published versions with what they support), aggregated per integration: the
  best of three passes made just before each run timed alone, so that a run and its floor see
  the same pace of a machine whose pace drifts;
- the nightly run: a whole scoring run of a day (start_run + execute_run: compute, snapshots,
  deductions, listings, proposals) after the run of the day before, as every night but the
  first; of three nights in a row (the last one today), the one nearest its floor (the best of
  three, as the floor is); each in a forked child so its peak memory (max RSS) is its own, with
  nothing else running, as the floor ran;
- how much of it was computing the scores (the rest is writing the day);
- the ratio run/floor, and time per integration (linear growth keeps it flat);
- the first run (the night before those three, over a marketplace never scored: every listing
  changes);
- today's run once more, replacing the day, while this process requests the marketplace listing
  in a loop: the run's time under that load, the listing's p95 before the run and during it,
  and how many requests failed.

Each size is measured by a process of its own (this script again, with --measure). Wall clock on a
shared machine: figures vary with its load.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = "bench_scoring_h"
NIGHTS = 3


def _database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _recreate_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")


def _drop_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _setup_django(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "PORTAL_ENV": "development",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        }
    )
    os.environ.pop("REDIS_URL", None)  # tasks run in-process: the run is timed here, not in a worker
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _generate(size: int, reviews: int, subscriptions: int) -> None:
    """The marketplace's generated world at `size` integrations, vacuumed and analysed."""
    from django.db import connection

    from marketplace.scale.generate import generate_world
    from marketplace.scale.world import Scale

    generate_world(
        Scale(
            applications=max(1, size // 2),
            app_versions=max(1, size // 2) * 4,
            integrations=size,
            reviews=size * reviews,
            subscriptions=size * subscriptions,
        )
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        # The generated gigabyte's pages written out now, not by the checkpointer spreading the
        # writes over the minutes the measurements take (runs and floor alike slowed by it).
        cursor.execute("CHECKPOINT")


# The floor: every row the rules read, read once, in one statement.
_FLOOR_SQL = """
SELECT integration_id, sum(reviews), sum(subscriptions), sum(versions) FROM (
    SELECT r.integration_id, count(*) FILTER (WHERE r.stars <= 2 AND (d.status IS NULL OR d.status <> 'accepted')
                                              AND r.answered_at IS NULL) AS reviews, 0 AS subscriptions, 0 AS versions
    FROM marketplace_review r LEFT JOIN marketplace_dispute d ON d.review_id = r.id GROUP BY r.integration_id
    UNION ALL
    SELECT integration_id, 0, count(*) FILTER (WHERE cancelled_at > now() - interval '365 days'), 0
    FROM marketplace_subscription GROUP BY integration_id
    UNION ALL
    SELECT v.integration_id, 0, 0, count(s.id)
    FROM integrations_integrationversion v LEFT JOIN integrations_integrationversion_supported_versions s
         ON s.integrationversion_id = v.id
    WHERE v.status = 'published' GROUP BY v.integration_id
) rows GROUP BY integration_id
"""


def _floor() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(_FLOOR_SQL)
        cursor.fetchall()
    return time.perf_counter() - started


def _run_in_child(write: int, day) -> None:
    """The forked child: one whole run, its time and its computing time through the pipe."""
    from scoring.models import ScoringPolicy, ScoringRun
    from scoring.runs import services

    computing, compute = [], services.compute

    def timed_compute(*args):
        started = time.perf_counter()
        results = compute(*args)
        computing.append(time.perf_counter() - started)
        return results

    services.compute = timed_compute  # the same function, its share of the run measured
    started = time.perf_counter()
    # The row start_run queues, without the task it sends: this process is the worker.
    run = ScoringRun.objects.create(policy=ScoringPolicy.current(), day=day)
    outcome = services.execute_run(run.pk)
    elapsed = time.perf_counter() - started
    os.write(write, f"{elapsed} {sum(computing)} {outcome}".encode())
    os._exit(0 if outcome == "done" else 1)


def _listing_request(client) -> tuple[float, bool]:
    """One request of the marketplace listing: (seconds, whether it failed)."""
    started = time.perf_counter()
    try:
        failed = client.get("/marketplace/").status_code != 200
    except Exception:  # noqa: BLE001 - an error is what the benchmark counts
        failed = True
    return time.perf_counter() - started, failed


def _p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return 1000 * ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")


def _timed_run(day, *, listing: bool = False) -> dict:
    """A whole run of `day` in a forked child: its seconds, of which computing, and the child's
    peak RSS (MB). With `listing`, this process requests the marketplace listing in a loop
    meanwhile: its p95 (ms) and errors before and during the run."""
    from django.db import connections
    from django.test import Client

    client = Client()
    before = [_listing_request(client) for _ in range(30)] if listing else []
    connections.close_all()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read)
        _run_in_child(write, day)
    os.close(write)
    during = []
    while True:
        if listing:
            finished, status, usage = os.wait4(child, os.WNOHANG)
            if finished:
                break
            during.append(_listing_request(client))
        else:
            finished, status, usage = os.wait4(child, 0)
            break
    elapsed, computing, outcome = os.read(read, 200).decode().split(" ", 2)
    if status != 0:
        raise SystemExit(f"the run failed: {outcome}")
    return {
        "elapsed": float(elapsed),
        "computing": float(computing),
        "peak": usage.ru_maxrss / 1024,
        "p95_before": _p95([t for t, _ in before]),
        "p95_during": _p95([t for t, _ in during]),
        "requests": len(during),
        "errors": sum(failed for _, failed in before + during),
    }


HEADER = (
    f"{'integrations':>12} {'reviews':>9} {'subs':>8} {'floor s':>8} {'run s':>7} {'ratio':>6} "
    f"{'ms/integr.':>10} {'peak MB':>8}"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,10000", help="integration counts, growing")
    parser.add_argument("--reviews", type=int, default=100, help="reviews per integration")
    parser.add_argument("--subscriptions", type=int, default=50, help="subscriptions per integration")
    parser.add_argument("--database", default=DATABASE, help="the databases made (and replaced): NAME_SIZE")
    parser.add_argument("--keep", action="store_true", help="keep the databases for profiling")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # one size, in a process of its own
    args = parser.parse_args()
    if not args.database.isidentifier():
        raise SystemExit("--database takes a plain name (letters, digits, underscores).")
    base = os.environ.get("BENCH_DATABASE_URL", "")
    if not base.startswith("postgres"):
        raise SystemExit(f"Set BENCH_DATABASE_URL to a PostgreSQL server ({args.database}_SIZE is made on it).")
    if args.measure:
        _measure(_database_url(base, args.database), args.measure, args)
        return
    print(HEADER, flush=True)
    for size in sorted(int(size) for size in args.sizes.split(",")):
        name = f"{args.database}_{size}"
        _recreate_database(base, name)
        try:
            # Django settles on one database a process: each size is measured by a process of its own.
            command = [sys.executable, __file__, "--measure", str(size), "--database", name]
            command += ["--reviews", str(args.reviews), "--subscriptions", str(args.subscriptions)]
            subprocess.run(command, check=True)  # noqa: S603 - our own interpreter and script
        finally:
            if not args.keep:
                _drop_database(base, name)


def _measure(url: str, size: int, args) -> None:
    _setup_django(url)
    from django.db import connections

    from scoring.models import ScoringPolicy, ScoringRun

    generated = time.perf_counter()
    _generate(size, args.reviews, args.subscriptions)
    generated = time.perf_counter() - generated
    ScoringPolicy.current()
    today = datetime.date.today()
    # Each run timed alone follows three passes of the floor (their best is its floor): the
    # machine's pace drifts over the minutes this takes, and a run and its floor see the same.
    first_floor = _floor_now()
    first = _timed_run(today - datetime.timedelta(days=NIGHTS))
    first_run = ScoringRun.objects.latest("pk")
    nights = []
    for n in reversed(range(NIGHTS)):
        floor = _floor_now()
        nights.append({**_timed_run(today - datetime.timedelta(days=n)), "floor": floor})
    timed = min(nights, key=lambda night: night["elapsed"] / night["floor"])
    floor = timed["floor"]
    loaded = _timed_run(today, listing=True)
    elapsed = timed["elapsed"]
    reviews, subscriptions = _counts()
    print(
        f"{size:>12} {reviews:>9} {subscriptions:>8} {floor:>8.2f} {elapsed:>7.2f} "
        f"{elapsed / floor:>6.1f} {1000 * elapsed / size:>10.2f} {timed['peak']:>8.0f}"
        f"   (computing {timed['computing']:.1f} s of it; generated in {generated:.0f} s; "
        f"{first_run.deductions_count} deductions)\n"
        f"{'':>12} the nights: {', '.join(_night(night) for night in nights)}; "
        f"the first run (the night before, nothing scored yet: {first_run.hidden_count} hidden, "
        f"{first_run.proposals_count} delisting proposals): {first['elapsed']:.2f} s, "
        f"{first['elapsed'] / first_floor:.1f} x its floor of {first_floor:.2f} s\n"
        f"{'':>12} today's again, while the marketplace listing is requested in a loop: {loaded['elapsed']:.2f} s; "
        f"listing p95 {loaded['p95_before']:.0f} ms before the run, {loaded['p95_during']:.0f} ms during it "
        f"({loaded['requests']} requests), {loaded['errors']} errors\n"
        f"{'':>12} this process's own peak: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
        flush=True,
    )
    connections.close_all()


def _floor_now() -> float:
    return min(_floor() for _ in range(3))


def _night(night: dict) -> str:
    return f"{night['elapsed']:.2f} s ({night['elapsed'] / night['floor']:.1f} x {night['floor']:.2f} s)"


def _counts() -> tuple[int, int]:
    from marketplace.reviews.models import Review
    from marketplace.subscriptions.models import Subscription

    return Review.objects.count(), Subscription.objects.count()


if __name__ == "__main__":
    main()
