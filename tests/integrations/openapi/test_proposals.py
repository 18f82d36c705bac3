"""Proposed foreign data objects: grouping, names and keys, exchanged schemas, re-import diffs."""

import pytest

from integrations.openapi import analyse, diff, group_label, propose
from integrations.openapi.limits import MAX_SCHEMA_DEPTH

from .builders import as_json, ok, ref, swagger


def _proposals(document):
    analysis = analyse(as_json(document), "api.json", time_limit=None)
    assert analysis.refused is None
    return analysis.proposals


def _customer_definitions():
    return {
        "Customer": {
            "type": "object",
            "required": ["email"],
            "properties": {
                "id": {"type": "integer", "format": "int64"},
                "email": {"type": "string"},
                "addresses": {"type": "array", "items": ref("Address")},
            },
        },
        "Address": {"type": "object", "properties": {"city": {"type": "string"}, "country": ref("Country")}},
        "Country": {"type": "string", "enum": ["NL", "US"]},
    }


def test_operations_are_grouped_by_their_first_tag():
    document = swagger(
        {
            "/customers": {"get": {"tags": ["Customers"], "responses": ok()}},
            "/customers/{id}": {
                "get": {"tags": ["Customers"], "responses": ok()},
                "delete": {"tags": ["Customers", "Admin"], "responses": ok()},
            },
            "/orders": {"post": {"tags": ["Orders"], "responses": ok()}},
        }
    )

    proposals = propose(document)

    assert [(p.key, p.name, p.source) for p in proposals] == [
        ("customers", "Customers", "tag"),
        ("orders", "Orders", "tag"),
    ]
    assert [(p.path, p.methods) for p in proposals[0].paths] == [
        ("/customers", ("GET",)),
        ("/customers/{id}", ("GET", "DELETE")),
    ]


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/customers", "customers"),
        ("/v1/customers/{customer}/sources", "customers"),
        ("/V1/carts/mine", "carts"),
        ("/api/v2.1/price-lists/{id}/records", "price-lists"),
        ("/2024-10-17/orders.json", "orders"),
        ("/{store}/rest/latest/products", "products"),
        ("/", "General"),
    ],
)
def test_untagged_operations_are_grouped_by_the_first_segment_that_names_something(path, label):
    assert group_label(path, {"responses": {}}) == (label, "path")


def test_a_tag_that_is_a_path_is_read_like_a_path():
    """Adobe tags each path with the path itself; those tags would make one object per path."""
    assert group_label("/V1/carts/mine", {"tags": ["carts/guest-carts/{cartId}/giftCards"]}) == ("carts", "tag")


@pytest.mark.parametrize(
    ("label", "name", "key"),
    [
        ("customerAccountManagementV1", "Customer Account Management V1", "customer-account-management-v1"),
        ("price-lists", "Price Lists", "price-lists"),
        ("3d_secure", "3d Secure", "3d-secure"),
        ("Settings - Enforced TLS", "Settings - Enforced TLS", "settings-enforced-tls"),
        ("künden", "Künden", "künden"),
    ],
)
def test_names_are_readable_and_keys_are_slugs_of_them(label, name, key):
    document = swagger({"/x": {"get": {"tags": [label], "responses": ok()}}})

    [proposal] = propose(document)

    assert (proposal.name, proposal.key) == (name, key)


def test_a_tag_and_a_path_segment_with_the_same_name_are_one_object():
    document = swagger(
        {
            "/customers": {"get": {"tags": ["Customers"], "responses": ok()}},
            "/customers/{id}": {"put": {"responses": ok()}},
        }
    )

    [proposal] = propose(document)

    assert proposal.operations == {("GET", "/customers"), ("PUT", "/customers/{id}")}


def test_the_schemas_exchanged_come_from_definitions_with_their_fields():
    document = swagger(
        {
            "/customers": {
                "get": {"tags": ["Customers"], "responses": ok({"type": "array", "items": ref("Customer")})},
                "post": {
                    "tags": ["Customers"],
                    "parameters": [{"in": "body", "name": "body", "schema": ref("Customer")}],
                    "responses": {"201": {"description": "Created", "schema": ref("Customer")}},
                },
            }
        },
        definitions=_customer_definitions(),
    )

    [proposal] = _proposals(document)

    assert [(s.name, s.location, s.nested) for s in proposal.schemas] == [
        ("Customer", "definitions.Customer", False),
        ("Address", "definitions.Address", True),
    ]
    customer, address = proposal.schemas
    assert [(f.name, f.type, f.required) for f in customer.fields] == [
        ("id", "integer (int64)", False),
        ("email", "string", True),
        ("addresses", "array of Address", False),
    ]
    assert [(f.name, f.type) for f in address.fields] == [("city", "string"), ("country", "string (Country)")]


def test_inline_bodies_responses_and_form_fields_are_summarised_too():
    body = {"type": "object", "properties": {"sku": {"type": "string"}, "price": {"type": "number"}}}
    wrapped = {"type": "object", "properties": {"data": {"type": "object", "properties": {"id": {"type": "string"}}}}}
    form = [
        {"in": "formData", "name": "file", "type": "file", "required": True},
        {"in": "formData", "name": "note", "type": "string"},
    ]
    document = swagger(
        {
            "/products": {"post": {"parameters": [{"in": "body", "name": "body", "schema": body}], "responses": ok()}},
            "/products/{id}": {"get": {"parameters": [], "responses": ok(wrapped)}},
            "/products/{id}/image": {
                "post": {"consumes": ["multipart/form-data"], "parameters": form, "responses": ok()}
            },
        }
    )
    for path in ("/products/{id}", "/products/{id}/image"):
        document["paths"][path]["parameters"] = [{"in": "path", "name": "id", "type": "string", "required": True}]

    [proposal] = _proposals(document)

    summaries = {s.name: [(f.name, f.type, f.required) for f in s.fields] for s in proposal.schemas}
    assert summaries == {
        "POST /products body": [("sku", "string", False), ("price", "number", False)],
        "GET /products/{id} 200 response": [("data", "GET /products/{id} 200 response.data", False)],
        "GET /products/{id} 200 response.data": [("id", "string", False)],
        "POST /products/{id}/image form": [("file", "file", True), ("note", "string", False)],
    }


def test_all_of_parts_are_merged_into_one_summary():
    definitions = {
        "Person": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        "Customer": {"allOf": [ref("Person"), {"required": ["email"], "properties": {"email": {"type": "string"}}}]},
    }
    document = swagger({"/customers": {"get": {"responses": ok(ref("Customer"))}}}, definitions=definitions)

    [proposal] = _proposals(document)

    [customer] = proposal.schemas
    assert [(f.name, f.required) for f in customer.fields] == [("name", True), ("email", True)]


def test_a_long_chain_of_definitions_is_cut_at_the_depth_cap_and_marked():
    levels = MAX_SCHEMA_DEPTH + 3
    definitions = {
        f"Level{i}": {"type": "object", "properties": {"next": ref(f"Level{i + 1}"), "name": {"type": "string"}}}
        for i in range(levels)
    }
    definitions[f"Level{levels}"] = {"type": "object", "properties": {"name": {"type": "string"}}}
    document = swagger({"/levels": {"get": {"responses": ok(ref("Level0"))}}}, definitions=definitions)

    [proposal] = _proposals(document)

    assert [s.name for s in proposal.schemas] == [f"Level{i}" for i in range(MAX_SCHEMA_DEPTH + 1)]
    assert proposal.schemas[-1].truncated
    assert not proposal.schemas[0].truncated


def test_definitions_that_refer_to_each_other_are_each_summarised_once():
    definitions = {
        "Order": {"type": "object", "properties": {"customer": ref("Customer")}},
        "Customer": {"type": "object", "properties": {"orders": {"type": "array", "items": ref("Order")}}},
    }
    document = swagger({"/orders": {"get": {"responses": ok(ref("Order"))}}}, definitions=definitions)

    [proposal] = _proposals(document)

    assert [(s.name, [f.type for f in s.fields]) for s in proposal.schemas] == [
        ("Order", ["Customer"]),
        ("Customer", ["array of Order"]),
    ]


def test_a_document_with_errors_still_gets_its_proposals():
    document = swagger(
        {"/customers": {"get": {"responses": ok({"oneOf": [ref("Customer"), {"type": "string"}]})}}},
        definitions=_customer_definitions(),
    )

    analysis = analyse(as_json(document), "api.json", time_limit=None)

    assert analysis.errors
    assert [p.key for p in analysis.proposals] == ["customers"]


def test_proposals_that_take_too_long_are_stopped_and_validation_still_reported(monkeypatch):
    import time

    def slow(document):
        time.sleep(120)

    monkeypatch.setattr("integrations.openapi.analysis.propose", slow)
    document = swagger({"/a": {"get": {"responses": ok({"type": "string", "nullable": True})}}})

    analysis = analyse(as_json(document), "api.json", time_limit=0.5)

    assert analysis.proposals == ()
    assert [p.kind for p in analysis.errors] == ["schema", "timeout"]
    assert analysis.errors[1].message == (
        "The proposals did not finish within 0.5 seconds, so the document could not be grouped into objects."
    )


def test_a_malformed_paths_section_gives_no_proposals_and_no_crash():
    document = swagger({"/a": "not an object", "/b": {"get": ["not", "an", "operation"]}, "/c": {"get": {}}})

    assert [p.key for p in propose(document)] == ["c"]
    assert propose(swagger(paths=["/a"])) == ()


def test_a_reimport_shows_the_objects_and_paths_added_and_removed():
    before = propose(
        swagger(
            {
                "/customers": {"get": {"tags": ["Customers"], "responses": ok()}},
                "/customers/{id}": {"delete": {"tags": ["Customers"], "responses": ok()}},
                "/coupons": {"get": {"tags": ["Coupons"], "responses": ok()}},
            }
        )
    )
    after = propose(
        swagger(
            {
                "/customers": {
                    "get": {"tags": ["Customers"], "responses": ok()},
                    "post": {"tags": ["Customers"], "responses": ok()},
                },
                "/orders": {"get": {"tags": ["Orders"], "responses": ok()}},
            }
        )
    )

    changes = diff(before, after)

    assert changes.objects_added == ("orders",)
    assert changes.objects_removed == ("coupons",)
    assert [(c.key, c.method, c.path) for c in changes.paths_added] == [
        ("customers", "POST", "/customers"),
        ("orders", "GET", "/orders"),
    ]
    assert [(c.key, c.method, c.path) for c in changes.paths_removed] == [
        ("coupons", "GET", "/coupons"),
        ("customers", "DELETE", "/customers/{id}"),
    ]


def test_reimporting_the_same_document_changes_nothing():
    document = swagger({"/customers": {"get": {"tags": ["Customers"], "responses": ok()}}})

    assert diff(propose(document), propose(document)).is_empty
