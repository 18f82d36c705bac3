"""Time the nightly scoring run on PostgreSQL against a single raw SQL pass over the same rows.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/scoring.py [--sizes 1000,10000] [--reviews 100] [--subscriptions 50] \\
        [--database NAME] [--keep]

It creates a database of its own on that server (--database, bench_scoring_h unless told;
dropped at the end unless --keep, for profiling), migrates it, and grows one world to each size
in turn: integrations of 100 applications (each with versions, a published version supporting
some), and per integration `--reviews` reviews and `--subscriptions` subscriptions of customers
at random dates over two years (cancellations, answers and disputes among them), bulk-inserted by
SQL, then vacuumed and analysed as autovacuum would have done to rows gathered over two years.
At each size it prints:

- the floor: one raw SQL pass that reads every row the rules read (reviews with their disputes,
  subscriptions, published versions with what they support), aggregated per integration (the
  best of three);
- the nightly run: a whole scoring run of a day (start_run + execute_run: compute, snapshots,
  deductions, listings, proposals) after the run of the day before, as every night but the
  first; the best of three nights in a row (the last one today), as the floor is the best of
  three passes; each in a forked child so its peak memory (max RSS) is its own, with nothing else
  running, as the floor ran;
- how much of it was computing the scores (the rest is writing the day);
- the ratio run/floor, and time per integration (linear growth keeps it flat);
- the first run (the night before those three, over a marketplace never scored: every listing
  changes);
- today's run once more, replacing the day, while this process requests the marketplace listing
  in a loop: the run's time under that load, the listing's p95 before the run and during it,
  and how many requests failed.

Wall clock on a shared machine: figures vary with its load.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = "bench_scoring_h"
APPLICATIONS = 100
CUSTOMERS = 200
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


def _base_world():
    """The applications (3 versions each) and the customers, once."""
    from integrations.models import Application, ApplicationVersion
    from portal.models import Organization

    provider = Organization.objects.create(name="Bench provider", slug="bench-provider", is_provider=True)
    applications = Application.objects.bulk_create(
        [Application(provider=provider, name=f"App {n}", slug=f"app-{n}") for n in range(APPLICATIONS)]
    )
    today = datetime.date.today()
    ApplicationVersion.objects.bulk_create(
        [
            ApplicationVersion(
                application=app, label=f"v{v}", release_date=today - datetime.timedelta(days=400 - 150 * v)
            )
            for app in applications
            for v in range(3)
        ]
    )
    Organization.objects.bulk_create(
        [Organization(name=f"Customer {n}", slug=f"customer-{n}", is_customer=True) for n in range(CUSTOMERS)]
    )
    return Organization.objects.create(name="Bench integrator", slug="bench-integrator", is_integrator=True)


def _grow(owner, start: int, stop: int, reviews: int, subscriptions: int) -> None:
    """Integrations start..stop-1 with their version, listing, subscriptions and reviews."""
    from django.db import connection

    from integrations.models import ApplicationVersion, Integration, IntegrationVersion, Tier, VersionStatus
    from marketplace.models import Listing

    applications = list(ApplicationVersion.objects.values_list("application_id", flat=True).distinct())
    integrations = Integration.objects.bulk_create(
        [
            # Compatible, so the marketplace listing the benchmark requests shows them.
            Integration(
                owner=owner,
                application_id=applications[n % len(applications)],
                name=f"I {n}",
                slug=f"i-{n}",
                tier=Tier.COMPATIBLE,
            )
            for n in range(start, stop)
        ],
        batch_size=2000,
    )
    Listing.objects.bulk_create([Listing(integration=i) for i in integrations], batch_size=2000)
    versions = IntegrationVersion.objects.bulk_create(
        [IntegrationVersion(integration=i, number="1.0.0", status=VersionStatus.PUBLISHED) for i in integrations],
        batch_size=2000,
    )
    latest = {}
    for app_id, version_id in ApplicationVersion.objects.order_by("release_date").values_list("application_id", "id"):
        latest[app_id] = version_id  # the newest release date last
    through = IntegrationVersion.supported_versions.through
    # Two integrations in three support the latest version; the rest fall behind.
    through.objects.bulk_create(
        [
            through(integrationversion_id=v.pk, applicationversion_id=latest[v.integration.application_id])
            for n, v in enumerate(versions)
            if n % 3
        ],
        batch_size=5000,
    )
    ids = (integrations[0].pk, integrations[-1].pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [start / (stop + 1)])
        cursor.execute(_SUBSCRIPTIONS_SQL, {"low": ids[0], "high": ids[1], "count": subscriptions})
        cursor.execute(_RETURNS_SQL, {"low": ids[0], "high": ids[1]})
        cursor.execute(_REVIEWS_SQL, {"low": ids[0], "high": ids[1], "count": reviews})
        cursor.execute(_DISPUTES_SQL, {"low": ids[0], "high": ids[1]})
        cursor.execute("VACUUM ANALYZE")


_SUBSCRIPTIONS_SQL = """
INSERT INTO marketplace_subscription (public_id, organization_id, integration_id, price_up_front, price_per_month,
    started_at, cancelled_at, cancellation_reason, cancellation_text)
SELECT gen_random_uuid(), customers.ids[c.n + 1], i.id, 0, 10, s.started,
       CASE WHEN random() < 0.3 AND s.started + s.length < now() THEN s.started + s.length END, '', ''
FROM integrations_integration i
CROSS JOIN generate_series(0, %(count)s - 1) AS c(n)
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM portal_organization WHERE is_customer) customers
CROSS JOIN LATERAL (
    SELECT now() - random() * interval '720 days' + i.id * interval '0 s' AS started,
           random() * interval '300 days' AS length
) s
WHERE i.id BETWEEN %(low)s AND %(high)s
"""

_REVIEWS_SQL = """
INSERT INTO marketplace_review (public_id, organization_id, integration_id, stars, text, created_at, answer,
    answered_at, hidden_reason)
SELECT gen_random_uuid(), customers.ids[c.n + 1], i.id, r.stars, 'A review.', r.created,
       CASE WHEN r.answered THEN 'Thank you.' ELSE '' END,
       CASE WHEN r.answered THEN r.created + random() * interval '20 days' END, ''
FROM integrations_integration i
CROSS JOIN generate_series(0, %(count)s - 1) AS c(n)
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM portal_organization WHERE is_customer) customers
CROSS JOIN LATERAL (
    SELECT 1 + floor(random() * 5)::int + i.id * 0 AS stars,
           now() - random() * interval '400 days' + i.id * interval '0 s' AS created,
           random() < 0.5 + i.id * 0 AS answered
) r
WHERE i.id BETWEEN %(low)s AND %(high)s
"""

# One cancelled customer in ten comes back ten days later (customer realigned).
_RETURNS_SQL = """
INSERT INTO marketplace_subscription (public_id, organization_id, integration_id, price_up_front, price_per_month,
    started_at, cancellation_reason, cancellation_text)
SELECT gen_random_uuid(), s.organization_id, s.integration_id, 0, 10, s.cancelled_at + interval '10 days', '', ''
FROM marketplace_subscription s
WHERE s.integration_id BETWEEN %(low)s AND %(high)s AND s.cancelled_at < now() - interval '10 days' AND random() < 0.1
"""

_DISPUTES_SQL = """
INSERT INTO marketplace_dispute (review_id, reasoning, raised_at, status, decision_comment)
SELECT r.id, 'Not our fault.', r.created_at + interval '3 days',
       (ARRAY['pending', 'accepted', 'rejected'])[1 + floor(random() * 3)::int], ''
FROM marketplace_review r
WHERE r.stars <= 2 AND r.integration_id BETWEEN %(low)s AND %(high)s AND random() < 0.2
"""

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,10000", help="integration counts, growing")
    parser.add_argument("--reviews", type=int, default=100, help="reviews per integration")
    parser.add_argument("--subscriptions", type=int, default=50, help="subscriptions per integration")
    parser.add_argument("--database", default=DATABASE, help="the database made (and replaced) for the benchmark")
    parser.add_argument("--keep", action="store_true", help="keep the database for profiling")
    args = parser.parse_args()
    if not args.database.isidentifier():
        raise SystemExit("--database takes a plain name (letters, digits, underscores).")
    base = os.environ.get("BENCH_DATABASE_URL", "")
    if not base.startswith("postgres"):
        raise SystemExit(f"Set BENCH_DATABASE_URL to a PostgreSQL server ({args.database} is made on it).")
    _recreate_database(base, args.database)
    try:
        _measure(base, args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _drop_database(base, args.database)


def _measure(base: str, args) -> None:
    sizes = sorted(int(size) for size in args.sizes.split(","))
    _setup_django(_database_url(base, args.database))
    from scoring.models import ScoringPolicy, ScoringRun

    owner, grown = _base_world(), 0
    ScoringPolicy.current()
    print(
        f"{'integrations':>12} {'reviews':>9} {'subs':>8} {'floor s':>8} {'run s':>7} {'ratio':>6} "
        f"{'ms/integr.':>10} {'peak MB':>8}"
    )
    today = datetime.date.today()
    for size in sizes:
        generated = time.perf_counter()
        _grow(owner, grown, size, args.reviews, args.subscriptions)
        generated = time.perf_counter() - generated
        grown = size
        floor = min(_floor() for _ in range(3))
        first = _timed_run(today - datetime.timedelta(days=NIGHTS))
        nights = [_timed_run(today - datetime.timedelta(days=n)) for n in reversed(range(NIGHTS))]
        timed = min(nights, key=lambda night: night["elapsed"])
        run = ScoringRun.objects.latest("pk")
        loaded = _timed_run(today, listing=True)
        elapsed = timed["elapsed"]
        print(
            f"{size:>12} {size * args.reviews:>9} {size * args.subscriptions:>8} {floor:>8.2f} {elapsed:>7.2f} "
            f"{elapsed / floor:>6.1f} {1000 * elapsed / size:>10.2f} {timed['peak']:>8.0f}"
            f"   (computing {timed['computing']:.1f} s of it; generated in {generated:.0f} s; {run.hidden_count} "
            f"hidden, {run.proposals_count} proposals, {run.deductions_count} deductions)\n"
            f"{'':>12} the nights: {', '.join(format(night['elapsed'], '.2f') for night in nights)} s; "
            f"the first run (the night before, nothing scored yet): {first['elapsed']:.2f} s, "
            f"{first['elapsed'] / floor:.1f} x the floor\n"
            f"{'':>12} today's again, while the marketplace listing is requested in a loop: {loaded['elapsed']:.2f} s; "
            f"listing p95 {loaded['p95_before']:.0f} ms before the run, {loaded['p95_during']:.0f} ms during it "
            f"({loaded['requests']} requests), {loaded['errors']} errors"
        )
    print(f"this process's own peak: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
