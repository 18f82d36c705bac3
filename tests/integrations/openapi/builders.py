"""Small, real OpenAPI 2.0 documents for the tests, built as data and serialised as bytes."""

import json
from typing import Any

import yaml


def swagger(paths: dict[str, Any] | None = None, **sections: Any) -> dict[str, Any]:
    """A minimal valid 2.0 document; `sections` add or replace top-level fields."""
    document: dict[str, Any] = {
        "swagger": "2.0",
        "info": {"title": "Shop API", "version": "1.0"},
        "paths": paths if paths is not None else {},
    }
    document.update(sections)
    return document


def ok(schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """A `responses` object with one 200 response."""
    response: dict[str, Any] = {"description": "OK"}
    if schema is not None:
        response["schema"] = schema
    return {"200": response}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/definitions/{name}"}


def as_json(document: Any) -> bytes:
    return json.dumps(document).encode()


def as_yaml(document: Any) -> bytes:
    return yaml.safe_dump(document, sort_keys=False).encode()
