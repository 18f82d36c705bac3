"""analyse(): from uploaded bytes to an Analysis, never raising.

The order matters for safety: the bytes are bounded and parsed by loading.py, the version is
read from the parsed document (never from the first lines), references that leave the document
are taken out by refs.py, and only then does the third-party validator see it, in a child
process under a time limit. The proposals are computed meanwhile in this process, from the
same sanitised document.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from typing import Any

from . import isolation
from .limits import MAX_PROBLEMS, VALIDATION_TIME_LIMIT
from .loading import Refused, load_document
from .proposal import count_paths_and_operations, propose
from .refs import sanitize_references
from .results import Analysis, Problem, Timings
from .validation import prepare_validator, validate_document

logger = logging.getLogger(__name__)

_NEEDS_2_0 = "This portal needs an OpenAPI 2.0 (Swagger) document"


def analyse(raw: bytes, filename: str = "", *, time_limit: float | None = VALIDATION_TIME_LIMIT) -> Analysis:
    """Analyse an uploaded OpenAPI document: refuse it, or list its errors and propose objects.

    `filename` only helps tell JSON from YAML. `time_limit` bounds validation in seconds
    (None validates in-process without a limit: for tests and benchmarks). No exception
    escapes: a failure of our own becomes a refusal saying so, and is logged.
    """
    started = time.perf_counter()
    try:
        return _analyse(raw, filename, time_limit, started)
    except Exception:  # noqa: BLE001 - the form view and the task must always get an Analysis
        logger.exception("OpenAPI analysis failed for %r", filename)
        return Analysis(
            format="",
            version="",
            refused="The portal could not analyse this document because of an error on our side. "
            "It has been logged; please try again later.",
            timings=Timings(total=time.perf_counter() - started),
        )


def _analyse(raw: bytes, filename: str, time_limit: float | None, started: float) -> Analysis:
    try:
        loaded = load_document(raw, filename)
    except Refused as refusal:
        return Analysis(format=refusal.format, version="", refused=refusal.reason, timings=_since(started))
    document = loaded.document
    if not isinstance(document, dict):
        return Analysis(format=loaded.format, version="", refused=_not_an_object(document), timings=_since(started))
    version, refusal = detect_version(document)
    path_count, operation_count = count_paths_and_operations(document)
    base: dict[str, Any] = {
        "format": loaded.format,
        "version": version,
        "path_count": path_count,
        "operation_count": operation_count,
        "title": _title(document),
    }
    if refusal:
        return Analysis(refused=refusal, timings=_since(started), **base)
    references = sanitize_references(document)
    loaded_at = time.perf_counter()
    problems, proposals, validate_seconds, propose_seconds = _validate_and_propose(
        document, references.removed, time_limit
    )
    timings = Timings(
        load=loaded_at - started,
        validate=validate_seconds,
        propose=propose_seconds,
        total=time.perf_counter() - started,
    )
    errors = _capped([*references.problems, *problems])
    return Analysis(refused=None, errors=errors, proposals=proposals, timings=timings, **base)


def _validate_and_propose(
    document: dict[str, Any], removed: set, time_limit: float | None
) -> tuple[list[Problem], tuple, float, float]:
    """Validate in a child process while this one builds the proposals; both cores work."""
    prepare_validator()
    started = time.perf_counter()
    pending = isolation.start(lambda: [asdict(p) for p in validate_document(document, removed)], time_limit)
    try:
        proposals = propose(document)
        proposed_at = time.perf_counter()
        try:
            problems = [Problem.from_dict(p) for p in pending.wait()]
        except isolation.TimeLimitExceeded:
            problems = [_timed_out(time_limit)]
        except isolation.ChildFailed as failure:
            problems = [_validator_failed(str(failure))]
    finally:
        pending.cancel()
    return problems, proposals, time.perf_counter() - started, proposed_at - started


def detect_version(document: dict[str, Any]) -> tuple[str, str | None]:
    """The declared version read from the parsed document, and a refusal unless it is 2.0.

    `swagger: 2.0` unquoted is a YAML number; it counts as 2.0 here, and the validator then
    reports it with a hint to quote it.
    """
    if "swagger" in document:
        version = _version_text(document["swagger"])
        if version.startswith("2"):
            return version, None
        return version, f"{_NEEDS_2_0}; this one declares `swagger: {version}`."
    if "openapi" in document:
        version = _version_text(document["openapi"])
        return version, (
            f"{_NEEDS_2_0}; this is OpenAPI {version}. Export or convert the API description to "
            "Swagger 2.0, or ask the application's provider for its 2.0 version."
        )
    return "", (
        "This is not an OpenAPI document: it has neither a `swagger` nor an `openapi` field at its top. "
        f'{_NEEDS_2_0}, which starts with `swagger: "2.0"`.'
    )


def _version_text(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text.strip()[:40]


def _not_an_object(document: Any) -> str:
    kinds = {list: "a list", str: "a single string", bool: "a single true or false", type(None): "empty"}
    kind = kinds.get(type(document), "a single number")
    return f'This is not an OpenAPI document: its top is {kind}, where an object with `swagger: "2.0"` belongs.'


def _title(document: dict[str, Any]) -> str:
    info = document.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    return title.strip()[:200] if isinstance(title, str) else ""


def _capped(problems: list[Problem]) -> tuple[Problem, ...]:
    if len(problems) <= MAX_PROBLEMS + 1:
        return tuple(problems)
    dropped = len(problems) - MAX_PROBLEMS
    more = Problem(message=f"… and {dropped} more errors, not listed.", location="", hint="", kind="validator")
    return (*problems[:MAX_PROBLEMS], more)


def _timed_out(time_limit: float | None) -> Problem:
    return Problem(
        message=f"Validation did not finish within {time_limit:g} seconds, so the document could not be checked.",
        location="",
        hint="A document this slow to check is unusually large or intricate: remove unused definitions, "
        "or split it by resource, and upload it again.",
        kind="timeout",
    )


def _validator_failed(name: str) -> Problem:
    return Problem(
        message=f"The validator stopped unexpectedly ({name}), so the document could not be checked.",
        location="",
        hint="",
        kind="validator",
    )


def _since(started: float) -> Timings:
    elapsed = time.perf_counter() - started
    return Timings(load=elapsed, total=elapsed)
