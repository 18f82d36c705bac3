"""Take out every `$ref` the portal will not follow, before any library sees the document.

openapi-spec-validator resolves references by itself, and its default resolver fetches URLs and
reads local files (`file:///etc/passwd`). So every `$ref` whose value does not start with `#/`
is replaced by an empty object and reported; that is the first line of defence (the second is
the refusing resolver in validation.py). Local references that point to nothing, or only to
each other in a ring, are taken out too: the validator would stop at the first of them, and the
integrator needs to see all of them at once.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from .limits import MAX_QUOTE_CHARS
from .results import Problem, format_location

Parts = tuple[str | int, ...]
_MAX_SUGGESTION_CANDIDATES = 2000
# Real documents chain a reference to a reference once or twice; a longer chain is treated
# like a ring, which also keeps the check linear in the number of references.
MAX_REF_HOPS = 16


@dataclass
class RefReport:
    """The problems found, and where a reference object was replaced by {}."""

    problems: list[Problem] = field(default_factory=list)
    removed: set[Parts] = field(default_factory=set)
    local: list[tuple[Parts, dict[str, Any]]] = field(default_factory=list)
    # "Did you mean" costs a fuzzy match against every name of a section: a hostile document
    # with thousands of dangling references gets suggestions for the first few only.
    suggestions_left: int = 5


def sanitize_references(document: dict[str, Any]) -> RefReport:
    """Replace, in place, every reference the validator must not see; report each one."""
    report = RefReport()
    # Each entry's place is a chain (parent's chain, key), spelled out as parts only for the
    # references: a document has hundreds of thousands of nodes and a few thousand references.
    stack: list[tuple[Any, Any]] = [(document, None)]
    while stack:
        node, chain = stack.pop()
        if isinstance(node, dict):
            if "$ref" in node and _check_reference(document, node, _spelled(chain), report):
                continue
            stack.extend((value, (chain, key)) for key, value in node.items() if isinstance(value, dict | list))
        elif isinstance(node, list):
            stack.extend((value, (chain, index)) for index, value in enumerate(node) if isinstance(value, dict | list))
    _break_cycles(document, report)
    report.problems.sort(key=lambda problem: problem.location)
    return report


def _spelled(chain: Any) -> Parts:
    parts: list[str | int] = []
    while chain is not None:
        chain, key = chain
        parts.append(key)
    return tuple(reversed(parts))


def resolve_local(document: Any, ref: str) -> Any:
    """The node a `#/...` reference points to, or KeyError. One step: it does not chase refs."""
    node = document
    for token in _pointer_tokens(ref):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(ref)
    return node


@functools.lru_cache(maxsize=4096)
def _pointer_tokens(ref: str) -> tuple[str, ...]:
    # A large document names the same few hundred definitions thousands of times.
    return tuple(unquote(token).replace("~1", "/").replace("~0", "~") for token in ref[2:].split("/"))


def _check_reference(document: dict[str, Any], node: dict[str, Any], parts: Parts, report: RefReport) -> bool:
    """Report and replace `node` when its `$ref` must go; True when it was replaced."""
    ref = node["$ref"]
    if isinstance(ref, str) and ref.startswith("#/"):
        try:
            resolve_local(document, ref)
        except KeyError:
            _replace(document, node, parts, report, _missing_problem(document, ref, parts, report))
            return True
        report.local.append((parts, node))
        return False
    _replace(document, node, parts, report, _external_problem(ref, parts))
    return True


def _replace(document: dict[str, Any], node: dict[str, Any], parts: Parts, report: RefReport, problem: Problem) -> None:
    report.problems.append(problem)
    report.removed.add(parts)
    if not parts:  # the root itself: keep the document, drop the reference
        del node["$ref"]
        return
    parent = document
    for part in parts[:-1]:
        parent = parent[part]
    parent[parts[-1]] = {}


def _external_problem(ref: Any, parts: Parts) -> Problem:
    location = format_location((*parts, "$ref"))
    shown = _quote(ref)
    if parts[:2] == ("info", "description"):
        hint = (
            "`info.description` must be the text itself. This document points it at a separate file "
            f"({shown}), as Adobe's documents point at Markdown files; paste that text in instead."
        )
    elif any(part == "example" or part == "examples" or str(part).startswith("x-") for part in parts):
        hint = (
            "This `$ref` sits inside an example or an extension, where it is data; the portal still "
            "takes out every reference that leaves the document. Remove it or write the value out."
        )
    else:
        hint = (
            "The portal only follows references inside the document (`#/definitions/...`). Copy what "
            "it points to into `definitions` (or `parameters`, `responses`) and refer to it there."
        )
    return Problem(
        message=f"`$ref` {shown} points outside the document; the portal does not follow it and left it out.",
        location=location,
        hint=hint,
        kind="external-ref",
    )


def _missing_problem(document: dict[str, Any], ref: str, parts: Parts, report: RefReport) -> Problem:
    section, _, name = ref[2:].partition("/")
    hint = "Add what it should point to, or correct the reference: names are case-sensitive."
    candidates = document.get(section)
    if name and isinstance(candidates, dict) and len(candidates) <= _MAX_SUGGESTION_CANDIDATES:
        if report.suggestions_left > 0:
            report.suggestions_left -= 1
            close = difflib.get_close_matches(unquote(name), [str(key) for key in candidates], n=1)
            if close:
                hint += f" Did you mean `#/{section}/{close[0]}`?"
    return Problem(
        message=f"`$ref` {_quote(ref)} points to nothing: the document has no such {_section_noun(section)}.",
        location=format_location((*parts, "$ref")),
        hint=hint,
        kind="missing-ref",
    )


def _section_noun(section: str) -> str:
    return {"definitions": "definition", "parameters": "parameter", "responses": "response"}.get(section, "entry")


def _break_cycles(document: dict[str, Any], report: RefReport) -> None:
    """Take out references that only lead to other references in a ring (A -> B -> A).

    A schema that contains itself further down (a Category with child Categories) is fine and
    stays; a ring of bare references describes nothing and sends resolvers round in circles.
    """
    for parts, node in report.local:
        detached = any(parts[:length] in report.removed for length in range(len(parts)))
        if not detached and _leads_nowhere(document, node):
            _replace(
                document,
                node,
                parts,
                report,
                Problem(
                    message=f"`$ref` {_quote(node['$ref'])} only leads to other references that lead back here "
                    f"(or on for more than {MAX_REF_HOPS}).",
                    location=format_location((*parts, "$ref")),
                    hint="Give one of these definitions a real schema instead of a reference.",
                    kind="circular-ref",
                ),
            )


def _leads_nowhere(document: dict[str, Any], start: dict[str, Any]) -> bool:
    """True when following `start` comes back to it, or goes on past MAX_REF_HOPS references."""
    node = start
    for _ in range(MAX_REF_HOPS):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return False
        try:
            node = resolve_local(document, ref)
        except KeyError:
            return False
        if node is start:
            return True
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


def _quote(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    if len(text) > MAX_QUOTE_CHARS:
        text = text[: MAX_QUOTE_CHARS - 1] + "…"
    return f"`{text}`"
