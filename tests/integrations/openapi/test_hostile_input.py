"""Malformed and hostile documents: each gets a clear message, and nothing escapes analyse().

Every document here is real and small, built in the test. None of these tests times anything:
a document that were expanded, fetched or recursed into would hang or crash the test instead.
"""

import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from integrations.openapi import MAX_BYTES, MAX_DEPTH, Analysis, analyse

from .builders import as_json, as_yaml, ok, ref, swagger


def _everything_said(analysis: Analysis) -> str:
    """Every text the portal could show about this analysis."""
    return json.dumps(analysis.to_dict())


def test_invalid_yaml_is_refused_with_its_line_and_column():
    analysis = analyse(b'swagger: "2.0"\ninfo: {title: "Shop", version: 1\npaths: {}\n', "api.yaml")

    assert analysis.format == "yaml"
    assert analysis.refused.startswith("The YAML could not be read")
    assert "line 3, column" in analysis.refused


def test_invalid_json_is_refused_with_its_line_and_column():
    analysis = analyse(b'{\n  "swagger": "2.0",\n  "info": {,}\n}', "api.json")

    assert analysis.format == "json"
    assert "The JSON could not be read" in analysis.refused
    assert "line 3, column 12" in analysis.refused


def test_a_billion_laughs_is_refused_at_its_first_alias():
    lines = ['swagger: "2.0"', 'lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 10) + "]")
    lines.append("paths: {bomb: *lol9}")

    analysis = analyse("\n".join(lines).encode(), "bomb.yaml")

    assert "alias (*lol0) at line 3" in analysis.refused
    assert "does not expand YAML anchors and aliases" in analysis.refused


@pytest.mark.parametrize(
    ("raw", "filename"),
    [
        pytest.param(b"[" * 10_000 + b"]" * 10_000, "deep.json", id="json-arrays"),
        pytest.param(b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "deep.json", id="json-objects"),
        pytest.param(b"- " * 10_000 + b"x\n", "deep.yaml", id="yaml-block"),
        pytest.param(b"a: " + b"[" * 10_000 + b"]" * 10_000, "deep.yaml", id="yaml-flow"),
        pytest.param(b"a: " + b"{b: " * 10_000 + b"1" + b"}" * 10_000, "deep.yaml", id="yaml-flow-mappings"),
    ],
)
def test_10000_levels_of_nesting_are_refused(raw, filename):
    analysis = analyse(raw, filename)

    assert f"more than {MAX_DEPTH} levels deep" in analysis.refused


def _nested_document(levels: int) -> bytes:
    nested: dict = {"type": "string"}
    for _ in range(levels):
        nested = {"type": "object", "properties": {"inner": nested}}
    return as_json(swagger({"/deep": {"get": {"responses": ok(nested)}}}))


def test_nesting_up_to_the_cap_is_read_and_validated():
    levels = (MAX_DEPTH - 8) // 2  # the schema sits 7 deep; each level adds `properties` and `inner`

    analysis = analyse(_nested_document(levels), "deep.json")

    assert analysis.refused is None
    assert analysis.errors == ()
    assert "more than" in analyse(_nested_document(levels + 1), "deep.json").refused


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server calls
        body = b'{"type": "string", "description": "CANARY-FROM-THE-NETWORK"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class _RecordingServer(http.server.ThreadingHTTPServer):
    """Answers any fetch, so a fetch that happened would bring its canary into the result."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RecordingHandler)
        self.connections = 0

    def verify_request(self, request, client_address) -> bool:
        self.connections += 1  # every accepted TCP connection, HTTP or not
        return True


@pytest.fixture
def loopback_server() -> Iterator[_RecordingServer]:
    server = _RecordingServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _document_referring_to(url: str) -> dict:
    return swagger(
        {"/customers": {"get": {"responses": ok({"$ref": url})}}},
        definitions={"Customer": {"$ref": url}},
    )


def test_an_external_ref_to_a_loopback_listener_is_reported_and_never_fetched(loopback_server):
    url = f"http://127.0.0.1:{loopback_server.server_address[1]}/x"

    analysis = analyse(as_json(_document_referring_to(url)), "api.json")

    assert loopback_server.connections == 0
    assert [(p.kind, p.location) for p in analysis.errors] == [
        ("external-ref", "definitions.Customer.$ref"),
        ("external-ref", "paths./customers.get.responses.200.schema.$ref"),
    ]
    assert url in analysis.errors[0].message
    assert "CANARY" not in _everything_said(analysis)


def test_the_validator_itself_refuses_to_fetch(loopback_server):
    """The second line of defence: even given a document refs.py never saw, nothing is fetched."""
    from integrations.openapi.validation import validate_document

    url = f"http://127.0.0.1:{loopback_server.server_address[1]}/x"

    problems = validate_document(_document_referring_to(url))

    assert loopback_server.connections == 0
    assert problems[-1].kind == "validator"
    assert "CANARY" not in json.dumps([p.message + p.hint for p in problems])


def _passwd_lines() -> list[str]:
    lines = Path("/etc/passwd").read_text().splitlines()
    return [line for line in lines if line.strip()]


@pytest.mark.skipif(not Path("/etc/passwd").exists(), reason="needs a POSIX /etc/passwd to look for")
def test_a_ref_to_etc_passwd_never_brings_its_content_into_a_message():
    document = _document_referring_to("file:///etc/passwd")
    document["info"]["description"] = {"$ref": "file:///etc/passwd"}

    analysis = analyse(as_yaml(document), "api.yaml")
    said = _everything_said(analysis)

    assert {p.kind for p in analysis.errors} == {"external-ref"}
    assert len(analysis.errors) == 3
    for line in _passwd_lines():
        assert line not in said
    assert "root:x:" not in said


@pytest.mark.skipif(not Path("/etc/passwd").exists(), reason="needs a POSIX /etc/passwd to look for")
def test_the_validator_itself_refuses_to_read_local_files():
    from integrations.openapi.validation import validate_document

    problems = validate_document(_document_referring_to("file:///etc/passwd"))
    said = json.dumps([p.message + p.hint for p in problems])

    assert problems
    for line in _passwd_lines():
        assert line not in said


def test_a_schema_that_contains_itself_is_valid_and_summarised_once():
    category = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": ref("Category")}},
    }
    document = swagger({"/categories": {"get": {"responses": ok(ref("Category"))}}}, definitions={"Category": category})

    analysis = analyse(as_json(document), "api.json")

    assert analysis.errors == ()
    [proposal] = analysis.proposals
    [summary] = proposal.schemas
    assert summary.name == "Category"
    assert ("children", "array of Category") in [(f.name, f.type) for f in summary.fields]


def test_references_that_only_lead_to_each_other_are_reported():
    document = swagger(
        {"/a": {"get": {"responses": ok(ref("A"))}}},
        definitions={"A": ref("B"), "B": ref("C"), "C": ref("A")},
    )

    analysis = analyse(as_json(document), "api.json")

    assert [p.kind for p in analysis.errors] == ["circular-ref"]
    assert analysis.errors[0].location.startswith("definitions.")
    assert analysis.proposals[0].paths[0].path == "/a"


def test_an_openapi_3_document_is_refused_saying_2_0_is_needed():
    analysis = analyse(b'openapi: 3.0.1\ninfo: {title: Shop, version: "1"}\npaths: {/a: {}}\n', "api.yaml")

    assert analysis.version == "3.0.1"
    assert analysis.refused.startswith("This portal needs an OpenAPI 2.0 (Swagger) document; this is OpenAPI 3.0.1.")
    assert analysis.path_count == 1
    assert analysis.proposals == ()


def test_the_version_is_read_from_the_document_not_from_its_first_lines():
    text = b'# swagger: "2.0" says this comment, but the document says otherwise\nopenapi: 3.1.0\npaths: {}\n'

    assert analyse(text, "api.yaml").version == "3.1.0"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        pytest.param(b"\x00\x01\x02\x03swagger", "contains NUL bytes", id="nul-bytes"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image", id="png"),
        pytest.param(b"PK\x03\x04\x14\x00", "a ZIP archive", id="zip"),
        pytest.param('swagger: "2.0"\ninfo: {title: Caf\xe9}'.encode("latin-1"), "not UTF-8 text", id="latin-1"),
        pytest.param(os.urandom(4096) + b"\x00", "not text", id="random"),
    ],
)
def test_bytes_that_are_not_text_are_refused(raw, words):
    assert words in analyse(raw, "api.yaml").refused


def test_utf16_with_a_byte_order_mark_is_text():
    raw = json.dumps(swagger()).encode("utf-16")

    assert analyse(raw, "api.json", time_limit=None).is_valid


def test_a_document_over_10_mb_is_refused_before_parsing():
    head = b'{"swagger": "2.0", "info": {"title": "Big", "version": "1", "description": "'
    raw = head + b"a" * MAX_BYTES + b'"}, "paths": {}}'

    analysis = analyse(raw, "big.json")

    assert analysis.refused == "The document is 10.0 MB; the portal accepts OpenAPI documents of up to 10 MB."
    assert analysis.format == ""


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        pytest.param(b"- swagger\n- 2.0\n", "its top is a list", id="list"),
        pytest.param(b"just some words\n", "its top is a single string", id="string"),
        pytest.param(b'{"title": "Shop", "paths": {}}', "neither a `swagger` nor an `openapi` field", id="no-version"),
        pytest.param(b"   \n\n", "The document is empty.", id="empty"),
        pytest.param(b"swagger: '1.2'\n", "this one declares `swagger: 1.2`", id="swagger-1.2"),
        pytest.param(b"a: !!binary aGVsbG8=\n", "values JSON cannot represent", id="yaml-binary"),
        pytest.param(b"a: !!python/object/apply:os.system [echo]\n", "could not determine a constructor", id="python"),
    ],
)
def test_documents_that_are_not_openapi_objects_are_refused(raw, words):
    assert words in analyse(raw, "api.yaml").refused


def test_an_unexpected_failure_becomes_a_refusal_not_an_exception(monkeypatch, caplog):
    def broken(document):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr("integrations.openapi.analysis.propose", broken)

    analysis = analyse(as_json(swagger()), "api.json", time_limit=None)

    assert analysis.refused.startswith("The portal could not analyse this document because of an error on our side")
    assert "a bug of ours" not in analysis.refused
    assert "OpenAPI analysis failed" in caplog.text


def test_a_yaml_document_saved_as_json_is_read_as_yaml():
    analysis = analyse(as_yaml(swagger()), "api.json")

    assert (analysis.format, analysis.refused, analysis.errors) == ("yaml", None, ())
