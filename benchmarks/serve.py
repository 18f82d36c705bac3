"""Serve the portal with gunicorn and measure its pages against /healthz, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale \\
        .venv/bin/python benchmarks/serve.py [--requests 200] [--concurrency 4] [--workers 2] [--only NAME]

The database should hold a world made by `manage.py generate_scale_world` (the pages measured are
its heaviest: the integrator with the most integrations, the application with the most
integrations, the provider with the most applications, the most reviewed listing). The server
runs with the production settings (DEBUG off, persistent database connections, static files
collected by WhiteNoise), two workers, on a free port; the signed-in pages are read with a session
made for the integrator's owner. Each page is first requested a few times to warm it up, then
`--requests` times by `--concurrency` threads, each with its own keep-alive connection. Prints,
per page: requests per second, p50 and p95 latency, its throughput as a share of /healthz's, and
the goal it is held to (issue 12's marketplace pages: at least 0.5 and p95 under 100 ms; issue
10's: p95 under 150 ms and at least 0.25 public, 0.1 signed in). Wall clock on a shared machine:
compare figures from the same run only. --only measures the pages whose name holds NAME, and
/healthz.

Public pages are kept whole for anonymous visitors once rendered (portal/page_cache.py), so their
rows measure what a visitor gets; the rows "…, rendered" ask each request with a query parameter
no one asked before, so every request renders: a first visit's (or a cache miss's) cost.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    min_ratio: float | None  # None: the baseline itself
    max_p95_ms: float
    signed_in: bool = False
    # Each request a query no visitor asked before: what a cache miss costs (the page rendered).
    fresh: bool = False


@dataclass
class Measure:
    page: Page
    rps: float
    p50_ms: float
    p95_ms: float
    size: int
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(port: int, database_url: str, redis_url: str) -> dict[str, str]:
    """Production settings over plain http on localhost; the same for this process (which makes
    the session) and the server (which reads it)."""
    return {
        "PORTAL_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "BEHIND_PROXY": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
    }


def heaviest_pages() -> tuple[list[Page], int]:
    """The pages to measure, picked in the world as the heaviest of their kind, and the user id
    of the integrator's owner (for the signed-in pages)."""
    from django.db.models import Count

    from integrations.models import Application, Integration, Tier
    from marketplace.listings.models import Listing
    from portal.models import Membership, Organization, Role

    integrator = (
        Organization.objects.filter(is_integrator=True).annotate(n=Count("integrations")).order_by("-n", "pk").first()
    )
    owner = Membership.objects.filter(organization=integrator, role=Role.OWNER).order_by("pk").first()
    application = Application.objects.published().annotate(n=Count("integrations")).order_by("-n", "pk").first()
    provider = (
        Organization.objects.filter(is_provider=True, applications__is_published=True)
        .annotate(n=Count("applications"))
        .order_by("-n", "pk")
        .first()
    )
    listing = (
        Listing.objects.searchable()
        .filter(integration__tier__gte=Tier.CERTIFIED)
        .annotate(n=Count("integration__reviews"))
        .order_by("-n", "pk")
        .select_related("integration__application")
        .first()
    )
    work = Integration.objects.filter(owner=integrator).order_by("pk").first()
    # What a visitor types: the name of an application (the most reviewed listing's).
    word = listing.integration.application.name
    filters = {"q": word, "tier": "certified", "hosting": "multitenant-cloud", "monthly": "250", "sort": "newest"}
    marketplace = [
        Page("marketplace listing", "/marketplace/", 0.5, 100),
        Page("search", "/marketplace/?" + urlencode({"q": word}), 0.5, 100),
        Page("filtered search", "/marketplace/?" + urlencode(filters), 0.5, 100),
        Page("detail page", f"/marketplace/{listing.integration.slug}/", 0.5, 100),
    ]
    registry = [
        Page(f"dashboard ({integrator.n} integrations)", "/integrations/", 0.1, 150, signed_in=True),
        Page(f"application page ({application.n} integrations)", f"/applications/{application.slug}/", 0.25, 150),
        Page(f"provider page ({provider.n} applications)", f"/providers/{provider.slug}/", 0.25, 150),
        Page("directory, page 1", "/applications/", 0.25, 150),
        Page("OpenAPI page", f"/integrations/{work.slug}/openapi/", 0.1, 150, signed_in=True),
    ]
    public = [page for page in [*marketplace, *registry] if not page.signed_in]
    # Anonymous visitors are served a kept page (portal/page_cache.py) after the first visit; the
    # same pages rendered every time show what a first visit, or a signed-in visitor, waits for.
    rendered = [Page(f"{page.name}, rendered", page.path, None, 0, fresh=True) for page in public]
    return [Page("/healthz", "/healthz", None, 0), *marketplace, *registry, *rendered], owner.user_id


def session_cookie(user_id: int) -> str:
    """A signed-in session for the user, stored where the server reads sessions (the database)."""
    from django.conf import settings
    from django.test import Client

    from portal.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def start_server(port: int, env: dict[str, str], workers: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    command += ["--log-level", "warning"]
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
        command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _, _ = fetch(http.client.HTTPConnection("127.0.0.1", port, timeout=5), "/healthz", {})
            if status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz with 200 within 60 s")


def fetch(connection: http.client.HTTPConnection, path: str, headers: dict) -> tuple[int, int, float]:
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    return response.status, len(body), time.perf_counter() - started


def measure(port: int, page: Page, headers: dict, *, requests: int, concurrency: int, warmup: int) -> Measure:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(warmup):
        fetch(connection, page.path, headers)
    connection.close()
    latencies: list[float] = []
    sizes: list[int] = []
    errors = [0]
    lock = threading.Lock()
    share = [requests // concurrency + (1 if i < requests % concurrency else 0) for i in range(concurrency)]

    fresh = itertools.count()

    def worker(count: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(count):
            path = page.path
            if page.fresh:
                path += ("&" if "?" in path else "?") + f"fresh={next(fresh)}"
            status, size, seconds = fetch(conn, path, headers)
            with lock:
                latencies.append(seconds)
                sizes.append(size)
                errors[0] += status != 200
        conn.close()

    threads = [threading.Thread(target=worker, args=(count,)) for count in share]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else latencies[0]
    return Measure(page, requests / elapsed, statistics.median(latencies) * 1000, p95 * 1000, max(sizes), errors[0])


def verdict(measure: Measure, baseline: float) -> str:
    if measure.page.min_ratio is None:
        return "(no goal)" if measure.page.fresh else ""
    ratio = measure.rps / baseline
    ok = ratio >= measure.page.min_ratio and measure.p95_ms < measure.page.max_p95_ms and not measure.errors
    return "met" if ok else "NOT met"


def print_table(measures: list[Measure]) -> None:
    baseline = measures[0].rps
    print(f"{'page':<42} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'ratio':>6} {'goal':>15} {'KB':>6}  result")
    for m in measures:
        ratio = m.rps / baseline
        goal = "" if m.page.min_ratio is None else f">={m.page.min_ratio} <{m.page.max_p95_ms:.0f}ms"
        errors = f" ({m.errors} not 200)" if m.errors else ""
        print(
            f"{m.page.name:<42} {m.rps:7.1f} {m.p50_ms:7.1f} {m.p95_ms:7.1f} {ratio:6.3f} {goal:>15} "
            f"{m.size / 1024:6.0f}  {verdict(m, baseline)}{errors}"
        )


def prepare(env: dict[str, str]) -> tuple[list[Page], dict[str, str]]:
    """In this process, with the server's settings: the static files collected (the production
    settings serve them from a manifest), the pages picked and a session made."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("collectstatic", "--noinput", verbosity=0)
    pages, user_id = heaviest_pages()
    signed_in = {"Cookie": session_cookie(user_id)}
    connections.close_all()
    return pages, signed_in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--only", default="", help="measure only the pages whose name holds this (and /healthz)")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("Give a PostgreSQL DATABASE_URL (a database with a generated world).")
    port = free_port()
    env = server_environment(port, args.database_url, args.redis_url)
    pages, signed_in = prepare(env)
    pages = [page for page in pages if page.path == "/healthz" or args.only.lower() in page.name.lower()]
    server = start_server(port, env, args.workers)
    try:
        measures = [
            measure(
                port,
                page,
                signed_in if page.signed_in else {},
                requests=args.requests,
                concurrency=args.concurrency,
                warmup=args.warmup,
            )
            for page in pages
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"gunicorn, {args.workers} workers, concurrency {args.concurrency}, {args.requests} requests a page")
    print_table(measures)


if __name__ == "__main__":
    main()
