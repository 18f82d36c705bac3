"""Kill a Celery worker whole (SIGKILL to it and its pool) in the middle of an OpenAPI import and
of a mapping test run, start another, and measure how long each job takes to be done, and that
each was done exactly once.

    .venv/bin/python benchmarks/worker_kill.py [--tests 3000] [--document NAME]

It runs everything it needs on this machine and removes it afterwards: a Redis of its own (on a
free port, never the machine's), a fresh SQLite database (or the PostgreSQL database named by
BENCH_DATABASE_URL, which it migrates), and the workers, with the portal's real settings
(visibility timeout, time limits, restore interval). The document is read from the OpenAPI
corpus beside the repository (../shared/openapi-corpus). Takes about five minutes: the broker
hands a dead worker's messages on only after its visibility timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "openapi-corpus"
POLL = 0.2
GIVE_UP_AFTER = 20 * 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(workdir: Path, redis_url: str) -> dict:
    database = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_", "DATABASE_URL", "REDIS_"))},
        "PORTAL_ENV": "development",
        "DEBUG": "false",
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(workdir / "media"),
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }


def _start_redis(workdir: Path, port: int) -> subprocess.Popen:
    redis = subprocess.Popen(  # noqa: S603 - Debian's redis-server, our arguments
        [shutil.which("redis-server"), "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return redis
        time.sleep(0.05)
    raise SystemExit(f"redis-server did not start on port {port}")


def _start_worker(env: dict, name: str, log: Path) -> subprocess.Popen:
    """A worker in its own process group, so it can be killed whole, pool included."""
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--concurrency", "2"]
    command += ["--hostname", f"{name}@bench", "--loglevel", "warning", "--without-mingle", "--without-gossip"]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def _set_up(tests: int, document: Path):
    """An integration with a big OpenAPI document uploaded and a version with `tests` mapping
    tests whose run is started: two queued jobs."""
    from integrations.mapping_tests import services as mapping_test_services
    from integrations.mappings import services as mapping_services
    from integrations.mappings.services import RowValues
    from integrations.models import Application, MappingCollection, MappingTest
    from integrations.openapi import services as openapi_services
    from integrations.workspace import services as integration_services
    from portal import services
    from portal.models import User

    user = User.objects.create_user(email=f"bench-{time.time_ns()}@example.com", password=None)
    owner = services.create_organization(user=user, name=f"Bench {time.time_ns()}", kinds=["integrator", "provider"])
    application = Application.objects.create(
        provider=owner, name="Bench app", slug=f"bench-{owner.pk}", is_published=True
    )
    integration = integration_services.create_integration(
        owner, acting_user=user, application=application, name="Bench integration", kind="dynamic"
    )
    version = integration_services.create_integration_version(integration, acting_user=user, number="1.0.0")
    mapping = mapping_services.create_template_mapping(
        version,
        acting_user=user,
        name="Bench app Customer ADD TO IPAAS",
        collection=MappingCollection.objects.get(key="customer"),
        direction="to_ipaas",
        parent=None,
        sync_type="add",
        collision_handling="skip",
        mapping_filter="",
        error_filter="",
        notes="",
    )
    mapping_services.add_mapping_row(mapping, acting_user=user, values=RowValues("Email", "field", source="email"))
    MappingTest.objects.bulk_create(
        MappingTest(
            mapping=mapping, name=f"Test {n}", sample={"email": f"{n}@x.example"}, expected={"Email": f"{n}@x.example"}
        )
        for n in range(tests)
    )
    upload = openapi_services.upload_openapi_document(
        integration, acting_user=user, filename=document.name, content=document.read_bytes()
    )
    run = mapping_test_services.start_mapping_test_run(version, acting_user=user)
    return upload, run


def _state(upload_pk: int, run_pk: int) -> tuple[str, str]:
    from integrations.models import MappingTestRun, OpenAPIImport

    return OpenAPIImport.objects.get(pk=upload_pk).status, MappingTestRun.objects.get(pk=run_pk).status


def _once(upload, run) -> dict:
    """What says each job was done exactly once."""
    from integrations.models import MappingTestRun, OpenAPIImport
    from portal.models import AuditEvent

    upload = OpenAPIImport.objects.get(pk=upload.pk)
    run = MappingTestRun.objects.get(pk=run.pk)
    organization = upload.integration.owner
    return {
        "import status": upload.status,
        "import finished (audit rows)": AuditEvent.objects.filter(
            organization=organization, kind__in=["openapi_import.imported", "openapi_import.refused"]
        ).count(),
        "run status": run.status,
        "run finished (audit rows)": AuditEvent.objects.filter(
            organization=organization, kind="mapping_test_run.finished"
        ).count(),
        "results / tests": f"{run.results.count()} / {run.total}",
    }


def _wait_until_both_run(upload, run, started: float) -> None:
    while _state(upload.pk, run.pk) != ("running", "running"):
        if time.monotonic() - started > 120:
            raise SystemExit(f"the jobs did not both start: {_state(upload.pk, run.pk)}")
        time.sleep(POLL)


def _seconds_until_done(upload, run, killed: float) -> dict[str, float]:
    done: dict[str, float] = {}
    while len(done) < 2 and time.monotonic() - killed < GIVE_UP_AFTER:
        import_status, run_status = _state(upload.pk, run.pk)
        if "import" not in done and import_status in ("done", "refused", "failed"):
            done["import"] = time.monotonic() - killed
        if "run" not in done and run_status in ("done", "failed"):
            done["run"] = time.monotonic() - killed
        time.sleep(POLL)
    return done


def _measure(env: dict, workdir: Path, tests: int, document: Path, workers: list) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    upload, run = _set_up(tests, document)
    print(f"Queued: OpenAPI import of {document.name} ({document.stat().st_size:,} bytes), a run of {run.total} tests")
    print(
        f"Settings: visibility timeout {settings.BROKER_VISIBILITY_TIMEOUT} s, hard time limit "
        f"{settings.TASK_TIME_LIMIT} s, abandoned after {settings.JOB_ABANDONED_AFTER} s"
    )
    workers.append(_start_worker(env, "first", workdir / "first.log"))
    started = time.monotonic()
    _wait_until_both_run(upload, run, started)
    os.killpg(workers[0].pid, signal.SIGKILL)
    workers[0].wait()
    killed = time.monotonic()
    print(
        f"Killed the first worker (SIGKILL, whole group) {killed - started:.1f} s after it started, both jobs running"
    )

    workers.append(_start_worker(env, "second", workdir / "second.log"))
    done = _seconds_until_done(upload, run, killed)
    for job in ("import", "run"):
        figure = f"{done[job]:.1f} s ({done[job] / 60:.1f} min)" if job in done else "not done"
        print(f"From the kill to the {job} done by the second worker: {figure}")
    print(json.dumps(_once(upload, run), indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tests", type=int, default=3000, help="mapping tests in the run (default 3000)")
    parser.add_argument("--document", default="stripe__2020-03-02__spec2.yaml", help="a corpus document")
    options = parser.parse_args()
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    document = (CORPUS / options.document).resolve()
    if not document.is_file():
        raise SystemExit(f"{document} not found: the corpus lives beside the repository")

    workdir = Path(tempfile.mkdtemp(prefix="worker-kill-"))
    port = _free_port()
    redis = _start_redis(workdir, port)
    workers: list[subprocess.Popen] = []
    try:
        _measure(_environment(workdir, f"redis://127.0.0.1:{port}/0"), workdir, options.tests, document, workers)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=60)
        redis.terminate()
        redis.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
