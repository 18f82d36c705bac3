"""Turn uploaded bytes into a JSON-like document, refusing hostile input before it costs much.

Every check here runs on untrusted bytes, in the order of their cost: size, text, syntax and
YAML aliases (while streaming parser events, before any structure is built), then depth.
"""

from __future__ import annotations

import codecs
import gc
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import yaml

from .limits import MAX_BYTES, MAX_DEPTH

# libyaml when available: the pure-Python parser is about ten times slower.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
# YAML 1.1 reads 1e5 as a string; JSON and the validator's own loader read it as a number.
_SCIENTIFIC_FLOAT = re.compile(r"^[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+|(?:0|[1-9][0-9]*))[eE][-+]?[0-9]+$")


class _DocumentLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, reading dates as the strings OpenAPI means them to be.

    It mirrors the loader openapi-spec-validator uses for files, so a document validates the
    same here as with the validator's command line.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


_DocumentLoader.add_implicit_resolver("tag:yaml.org,2002:float", _SCIENTIFIC_FLOAT, list("-+0123456789."))

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive"),
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
)
_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class Refused(Exception):
    """The document is not analysed at all; `reason` is shown to the integrator as it is."""

    def __init__(self, reason: str, *, format: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.format = format


@dataclass(frozen=True)
class LoadedDocument:
    format: str  # "json" or "yaml"
    document: Any


def load_document(raw: bytes, filename: str = "") -> LoadedDocument:
    """Parse `raw` as JSON or YAML into plain dicts, lists, strings, numbers, booleans and None.

    Raises Refused with a plain-language reason for anything that is not such a document.
    """
    if len(raw) > MAX_BYTES:
        raise Refused(
            f"The document is {len(raw) / 1024 / 1024:.1f} MB; the portal accepts OpenAPI documents "
            f"of up to {MAX_BYTES // 1024 // 1024} MB."
        )
    text = decode_text(raw)
    if not text.strip():
        raise Refused("The document is empty.")
    format = detect_format(text, filename)
    with _collector_paused():
        document = _load_json(text) if format == "json" else _load_yaml(text)
    check_depth(document, format=format)
    return LoadedDocument(format=format, document=document)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parse without Python's cyclic garbage collector.

    Building a document allocates a few hundred thousand containers, and each generation of
    them triggers a collection that walks all the earlier ones: PyYAML loads three times faster
    without it. Parsing creates no cycles (YAML aliases are refused), so nothing is lost.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def decode_text(raw: bytes) -> str:
    """Decode UTF-8 (or UTF-16/32 announced by a byte order mark), refusing binary files."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise Refused(f"The document is not valid {encoding.upper()} text (byte {exc.start}).") from None
    for signature, kind in _SIGNATURES:
        if raw.startswith(signature):
            raise Refused(f"This file is not text: it looks like {kind}. Upload the JSON or YAML document itself.")
    if b"\x00" in raw:
        raise Refused("This file is not text (it contains NUL bytes). Upload the JSON or YAML document itself.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(
            f"This file is not UTF-8 text (the byte at offset {exc.start} cannot be read). "
            "Save the document as UTF-8 and upload it again."
        ) from None


def detect_format(text: str, filename: str = "") -> str:
    """JSON when the text opens with { or [ and the name does not say YAML; YAML otherwise.

    YAML reads most JSON too, so a .yaml name wins; a .json name on a text that cannot be
    JSON (a YAML document saved under the wrong name) does not.
    """
    if filename.lower().endswith((".yaml", ".yml")):
        return "yaml"
    return "json" if text.lstrip()[:1] in ("{", "[") else "yaml"


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Refused(
            f"The JSON could not be read: {exc.msg} at line {exc.lineno}, column {exc.colno}.", format="json"
        ) from None
    except RecursionError:
        raise Refused(_too_deep(), format="json") from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise Refused("The JSON could not be read: it holds a number too long to read.", format="json") from None


def _load_yaml(text: str) -> Any:
    """Load YAML after a first pass over the parser's events.

    The first pass refuses aliases and deep nesting before the composer builds anything: a
    billion-laughs document is refused at its first alias, and libyaml's recursive composer
    never sees a 10,000-level document.
    """
    try:
        _scan_yaml_events(text)
        document = yaml.load(text, Loader=_DocumentLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        raise Refused(_yaml_error_message(exc), format="yaml") from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise Refused(f"The YAML could not be read: {_short(str(exc))}.", format="yaml") from None
    try:
        # The validator works on JSON data: integer keys (200:) become strings, as they are in
        # JSON, and YAML-only values (binary, sets) are refused.
        return json.loads(json.dumps(document))
    except (TypeError, ValueError):
        raise Refused(
            "The YAML holds values JSON cannot represent (binary data, sets or similar); "
            "an OpenAPI document may only use strings, numbers, booleans, null, lists and mappings.",
            format="yaml",
        ) from None


def _scan_yaml_events(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=_DocumentLoader):
        if isinstance(event, _OPENING):
            depth += 1
            if depth > MAX_DEPTH:
                raise Refused(_too_deep(event.start_mark.line + 1), format="yaml")
        elif isinstance(event, _CLOSING):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            raise Refused(
                f"The YAML uses an alias (*{_short(event.anchor or '')}) at line {event.start_mark.line + 1}. "
                "The portal does not expand YAML anchors and aliases, because a few lines of them can "
                "grow into billions of entries; write the repeated part out in full.",
                format="yaml",
            )


def check_depth(document: Any, *, format: str = "") -> None:
    """Refuse documents nested deeper than MAX_DEPTH, without recursing ourselves.

    Level by level: a document's containers are counted in the hundreds of thousands, and a
    level is one list, where a stack of (node, depth) pairs made a tuple for each of them."""
    level, depth = [document], 1
    while level:
        below: list[Any] = []
        for node in level:
            if isinstance(node, dict):
                below.extend(child for child in node.values() if isinstance(child, dict | list))
            elif isinstance(node, list):
                below.extend(child for child in node if isinstance(child, dict | list))
        level, depth = below, depth + 1
        if level and depth > MAX_DEPTH:
            raise Refused(_too_deep(), format=format)


def _too_deep(line: int | None = None) -> str:
    where = f" (at line {line})" if line else ""
    return (
        f"The document nests objects and lists more than {MAX_DEPTH} levels deep{where}; "
        "real API descriptions need far fewer, so the portal stops reading there."
    )


def _yaml_error_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "invalid YAML"
    if "maximum nesting depth" in problem:  # libyaml's own cap, met before ours in flow style
        return _too_deep()
    mark = exc.problem_mark or exc.context_mark
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"The YAML could not be read: {_short(problem)}{where}."


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
