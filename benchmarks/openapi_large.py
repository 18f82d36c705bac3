"""Time a 5,000-path Swagger 2.0 document: validation alone, analyse(), an import end to end and
a re-import, then the integration's OpenAPI page after them (its size and the time to answer it),
against a plain parse of the same bytes.

    .venv/bin/python benchmarks/openapi_large.py [--paths 5000] [--repeat 1] [--no-import]

The document is generated (no corpus needed): resources of ten paths each (list, create, read,
replace, delete, and sub-resources), tagged by resource, with path, query and body
parameters, `$ref`s to definitions and success and error responses: the shape of a large real
API such as Adobe Commerce's. The re-import uploads the same API with one resource more and one
less, so the diff and the refresh of the foreign data objects have work to do. The OpenAPI page
is then requested as its owner through Django's test client (every middleware, the template
rendered; no network), the best of --repeat, and its HTML measured.

The import runs as the Celery task runs it (upload_openapi_document, then run_openapi_import in
this process, the validator in its forked child), on a fresh SQLite database in a temporary
folder (or the PostgreSQL database named by BENCH_DATABASE_URL, which it migrates).
Timings are wall clock and vary with the machine's load: use --repeat to keep the best of N.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PATHS_PER_RESOURCE = 10


def _definition(name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer", "format": "int64"},
            "name": {"type": "string", "maxLength": 200},
            "status": {"type": "string", "enum": ["active", "archived"], "default": "active"},
            "created_at": {"type": "string", "format": "date-time"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "address": {"$ref": "#/definitions/Address"},
            "owner": {"$ref": "#/definitions/Owner"},
        },
        "description": f"A {name}.",
    }


def _operation(resource: str, verb: str, *, body: bool, many: bool, tag: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"$ref": f"#/definitions/{resource.capitalize()}"}
    if many:
        schema = {"type": "array", "items": schema}
    parameters: list[dict[str, Any]] = []
    if many:
        parameters += [
            {"$ref": "#/parameters/Locale"},
            {"name": "page", "in": "query", "type": "integer", "minimum": 1, "default": 1},
        ]
    if body:
        parameters.append({"name": "body", "in": "body", "required": True, "schema": schema})
    return {
        "tags": [tag],
        "summary": f"{verb} {resource}",
        "operationId": f"{verb}_{resource}_{'many' if many else 'one'}",
        "produces": ["application/json"],
        "parameters": parameters,
        "responses": {
            "200": {"description": "OK", "schema": schema},
            "404": {"$ref": "#/responses/NotFound"},
        },
    }


def _resource_paths(resource: str) -> dict[str, Any]:
    tag = resource.capitalize()
    item_id = {"name": "id", "in": "path", "required": True, "type": "integer"}
    child_id = {"name": "child", "in": "path", "required": True, "type": "string"}
    paths: dict[str, Any] = {
        f"/v1/{resource}": {
            "get": _operation(resource, "list", body=False, many=True, tag=tag),
            "post": _operation(resource, "create", body=True, many=False, tag=tag),
        },
        f"/v1/{resource}/{{id}}": {
            "parameters": [item_id],
            "get": _operation(resource, "get", body=False, many=False, tag=tag),
            "put": _operation(resource, "replace", body=True, many=False, tag=tag),
            "delete": _operation(resource, "delete", body=False, many=False, tag=tag),
        },
    }
    for n, sub in enumerate(("notes", "history", "links", "files")):
        paths[f"/v1/{resource}/{{id}}/{sub}"] = {
            "parameters": [item_id],
            "get": _operation(resource, f"list_{sub}", body=False, many=True, tag=tag),
        }
        paths[f"/v1/{resource}/{{id}}/{sub}/{{child}}"] = {
            "parameters": [item_id, child_id],
            "get": _operation(resource, f"get_{sub}_{n}", body=False, many=False, tag=tag),
        }
    return paths


def large_document(paths: int, *, first: int = 0) -> dict[str, Any]:
    """A valid 2.0 document of `paths` paths (a multiple of ten), resources numbered from `first`."""
    resources = [f"resource{n}" for n in range(first, first + paths // PATHS_PER_RESOURCE)]
    document: dict[str, Any] = {
        "swagger": "2.0",
        "info": {"title": f"Large API ({paths} paths)", "version": "1.0"},
        "host": "api.example.com",
        "basePath": "/",
        "schemes": ["https"],
        "paths": {},
        "parameters": {"Locale": {"name": "locale", "in": "header", "type": "string", "default": "en"}},
        "responses": {"NotFound": {"description": "Not found", "schema": {"$ref": "#/definitions/Error"}}},
        "definitions": {
            "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
            "Address": {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": "string"}}},
            "Owner": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}},
        },
    }
    for resource in resources:
        document["paths"].update(_resource_paths(resource))
        document["definitions"][resource.capitalize()] = _definition(resource)
    return document


def _best(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = run()
        elapsed = time.perf_counter() - started
        if elapsed < best:
            best, result = elapsed, outcome
    return best, result


def _library_figures(raw: bytes, repeat: int) -> dict[str, float]:
    from integrations.openapi import analyse
    from integrations.openapi.loading import load_document
    from integrations.openapi.refs import sanitize_references
    from integrations.openapi.validation import prepare_validator, validate_document

    def validate() -> list:  # what the child process does, with the reading and sanitising before it
        document = load_document(raw, "large.json").document
        removed = sanitize_references(document).removed
        return validate_document(document, removed)

    prepare_validator()
    parse, _ = _best(repeat, lambda: json.loads(raw))
    validation, problems = _best(repeat, validate)
    if problems:
        raise SystemExit(f"the generated document should be valid; first problem: {problems[0]}")
    analysis_seconds, analysis = _best(repeat, lambda: analyse(raw, "large.json"))
    if analysis.refused or analysis.errors:  # a timeout is a figure too: print it and go on
        print(f"analyse() did not accept the document: {(analysis.refused or analysis.errors[0].message)[:120]}")
    return {
        "parse": parse,
        "validate": validation,
        "analyse": analysis_seconds,
        "analyse.validate": analysis.timings.validate,
        "analyse.propose": analysis.timings.propose,
    }


def _django(workdir: Path) -> None:
    database = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.update(
        {
            "PORTAL_ENV": "development",
            "DEBUG": "false",
            "DATABASE_URL": database,
            "MEDIA_ROOT": str(workdir / "media"),
            "EMAIL_URL": "dummymail://",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        }
    )
    os.environ.pop("REDIS_URL", None)  # tasks run in-process: the import is timed here, not queued
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=os.environ, check=True
    )
    import django

    django.setup()


def _integration():
    from integrations.models import Application
    from integrations.workspace import services as integration_services
    from portal import services
    from portal.models import User

    stamp = time.time_ns()
    user = User.objects.create_user(email=f"bench-{stamp}@example.com", password=None)
    owner = services.create_organization(user=user, name=f"Bench {stamp}", kinds=["integrator", "provider"])
    application = Application.objects.create(provider=owner, name="Bench app", slug=f"bench-{stamp}")
    integration = integration_services.create_integration(
        owner, acting_user=user, application=application, name="Bench integration", kind="dynamic"
    )
    return integration, user


def _import(integration, user, raw: bytes) -> tuple[float, Any]:
    """Upload and run the import as the task does; the seconds from upload to the stored result."""
    from integrations.models import OpenAPIImport
    from integrations.openapi import services as openapi_services

    started = time.perf_counter()
    with _no_queue():
        upload = openapi_services.upload_openapi_document(
            integration, acting_user=user, filename="large.json", content=raw
        )
    openapi_services.run_openapi_import(upload.pk)
    elapsed = time.perf_counter() - started
    return elapsed, OpenAPIImport.objects.get(pk=upload.pk)


class _no_queue:
    """Keep the upload's on_commit from running the import eagerly: it is run and timed here."""

    def __enter__(self) -> None:
        from integrations.openapi import services as openapi_services

        self._saved = openapi_services._enqueue
        openapi_services._enqueue = lambda pk: True

    def __exit__(self, *exc: object) -> None:
        from integrations.openapi import services as openapi_services

        openapi_services._enqueue = self._saved


def _import_figures(paths: int, raw: bytes) -> dict[str, float]:
    from integrations.models import ImportStatus

    integration, user = _integration()
    first, done = _import(integration, user, raw)
    if done.status != ImportStatus.DONE or done.error_count:
        print(f"the import ended {done.status} with {done.error_count} error(s): {done.refused_reason or ''}")
    # The same API one resource on: ten paths gone, ten new, the rest refreshed.
    again = json.dumps(large_document(paths, first=1)).encode()
    second, redone = _import(integration, user, again)
    if redone.status != ImportStatus.DONE or redone.error_count:
        print(f"the re-import ended {redone.status} with {redone.error_count} error(s)")
    objects = integration.foreign_objects.count()
    stages = {**_stages(done, "import"), **_stages(redone, "reimport")}
    return {"import": first, "reimport": second, "objects": objects, **stages, "integration": integration, "user": user}


def _page_figures(integration, user, repeat: int) -> dict[str, float]:
    """The OpenAPI page after the imports, as its owner gets it: seconds to answer, bytes of HTML."""
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = reverse("integration_openapi", args=[integration.slug])
    client.get(url)  # templates compiled and caches warm, as on a server that has answered before
    seconds, response = _best(max(repeat, 3), lambda: client.get(url))
    if response.status_code != 200:
        raise SystemExit(f"the OpenAPI page answered {response.status_code}")
    return {"page": seconds, "page.bytes": len(response.content)}


def _stages(done, name: str) -> dict[str, float]:
    timings = (done.analysis or {}).get("timings", {})
    return {f"{name}.analyse": timings.get("total", 0.0)}


def _figure(label: str, seconds: float, baseline: float | None = None) -> None:
    ratio = f"  {seconds / baseline:6.1f} x baseline" if baseline else ""
    print(f"{label:34} {seconds:7.2f} s{ratio}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=1, help="keep the best of N runs of the library stages")
    parser.add_argument("--no-import", action="store_true", help="time the library only, no database")
    args = parser.parse_args(argv)
    raw = json.dumps(large_document(args.paths)).encode()
    document = json.loads(raw)
    operations = sum(len([k for k in item if k != "parameters"]) for item in document["paths"].values())
    print(f"document: {len(document['paths']):,} paths, {operations:,} operations, {len(raw) / 1e6:.1f} MB of JSON")
    library = _library_figures(raw, args.repeat)
    parse = library["parse"]
    _figure("json.loads (baseline)", parse, parse)
    _figure("load + validate (in-process)", library["validate"], parse)
    _figure("analyse() (forked children)", library["analyse"], parse)
    _figure("  of which validation (child)", library["analyse.validate"])
    _figure("  of which proposals (child)", library["analyse.propose"])
    if args.no_import:
        return 0
    with tempfile.TemporaryDirectory(prefix="openapi-large-") as workdir:
        _django(Path(workdir))
        figures = _import_figures(args.paths, raw)
        figures |= _page_figures(figures["integration"], figures["user"], args.repeat)
    _figure("import, end to end", figures["import"], parse)
    _figure("  of which analyse()", figures["import.analyse"])
    _figure("re-import, end to end", figures["reimport"], parse)
    _figure("  of which analyse()", figures["reimport.analyse"])
    print(f"{'re-import / import':34} {figures['reimport'] / figures['import']:7.2f}")
    print(f"foreign data objects after the re-import: {figures['objects']}")
    _figure("OpenAPI page after them (answer)", figures["page"], parse)
    print(f"{'  its HTML':34} {figures['page.bytes'] / 1e6:7.2f} MB ({figures['page.bytes']:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
