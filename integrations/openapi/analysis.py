"""analyse(): from uploaded bytes to an Analysis, never raising.

The order matters for safety: the bytes are bounded and parsed by loading.py, the version is
read from the parsed document (never from the first lines), references that leave the document
are taken out by refs.py, and only then does the third-party validator see it, in a child
process under a time limit. The proposals are computed at the same time in a second child, from
the same sanitised document: what this process does itself is linear in the document's size.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from . import isolation
from .limits import MAX_PROBLEMS, VALIDATION_TIME_LIMIT
from .loading import Refused, load_document
from .proposal import count_paths_and_operations, propose
from .refs import Parts, sanitize_references
from .results import Analysis, Problem, Proposal, Timings, plain
from .validation import prepare_validator, validate_document

logger = logging.getLogger(__name__)

_NEEDS_2_0 = "This portal needs an OpenAPI 2.0 (Swagger) document"


def analyse(raw: bytes, filename: str = "", *, time_limit: float | None = VALIDATION_TIME_LIMIT) -> Analysis:
    """Analyse an uploaded OpenAPI document: refuse it, or list its errors and propose objects.

    `filename` only helps tell JSON from YAML. `time_limit` bounds validation and proposals,
    each in its own child process, in seconds (None runs both in-process without a limit: for
    tests and benchmarks). No exception escapes: a failure of our own becomes a refusal saying
    so, and is logged.
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
    document: dict[str, Any], removed: set[Parts], time_limit: float | None
) -> tuple[list[Problem], tuple[Proposal, ...], float, float]:
    """Validate and propose in two child processes at once, each under the time limit.

    Both walk the untrusted document in ways its author controls (the validator follows every
    reference; the proposals follow definitions), so neither runs unbounded in this process.
    A timeout of one keeps the other's result: proposals need no valid document.
    """
    prepare_validator()
    with ExitStack() as children:  # whatever happens, no child outlives this call
        validating = isolation.start(
            _timed(lambda: [plain(p) for p in validate_document(document, removed)]), time_limit
        )
        children.callback(validating.cancel)
        proposing = isolation.start(_timed(lambda: [plain(p) for p in propose(document)]), time_limit)
        children.callback(proposing.cancel)
        proposed = _wait(proposing, time_limit, "The proposals")
        validated = _wait(validating, time_limit, "Validation")
    problems = [Problem.from_dict(item) for item in validated.items] + validated.problems + proposed.problems
    proposals = tuple(Proposal.from_dict(item) for item in proposed.items)
    return problems, proposals, validated.seconds, proposed.seconds


@dataclass
class _Outcome:
    """What a child answered (JSON items), its own running time, or the problem it became."""

    items: list[Any]
    seconds: float
    problems: list[Problem]


def _timed(func: Callable[[], list[Any]]) -> Callable[[], dict[str, Any]]:
    def run() -> dict[str, Any]:
        started = time.perf_counter()
        result = func()
        return {"items": result, "seconds": time.perf_counter() - started}

    return run


def _wait(pending: isolation.Pending, time_limit: float | None, what: str) -> _Outcome:
    started = time.perf_counter()
    try:
        answer = pending.wait()
    except isolation.TimeLimitExceeded:
        return _Outcome([], time.perf_counter() - started, [_timed_out(what, time_limit)])
    except isolation.ChildFailed as failure:
        logger.error("%s failed in the child process: %s", what, failure)
        return _Outcome([], time.perf_counter() - started, [_child_failed(what, str(failure))])
    return _Outcome(answer["items"], answer["seconds"], [])


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


def _timed_out(what: str, time_limit: float | None) -> Problem:
    return Problem(
        message=f"{what} did not finish within {time_limit:g} seconds, so the document could not be "
        f"{'checked' if what == 'Validation' else 'grouped into objects'}.",
        location="",
        hint="A document this slow to check is unusually large or intricate: remove unused definitions, "
        "or split it by resource, and upload it again.",
        kind="timeout",
    )


def _child_failed(what: str, name: str) -> Problem:
    return Problem(
        message=f"{what} stopped unexpectedly ({name}); the portal could not finish analysing the document.",
        location="",
        hint="",
        kind="validator",
    )


def _since(started: float) -> Timings:
    elapsed = time.perf_counter() - started
    return Timings(load=elapsed, total=elapsed)
