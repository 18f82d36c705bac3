"""Importing an integration's OpenAPI document: upload, the Celery task, progress, re-imports, bad
input, and the integrator's decisions on the foreign data objects it proposes."""

import hashlib
import json
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations import openapi, tasks
from integrations.models import ForeignDataObject, ImportStatus, IntegrationKind, ObjectState, OpenAPIImport
from integrations.openapi import services as openapi_services
from integrations.tiers import compatible_ready
from integrations.tiers import engine as tiers
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory
from tests.integrations.openapi.builders import as_json, as_yaml, ok, ref, swagger

CORPUS = (Path(__file__).resolve().parents[3] / ".." / "shared" / "openapi-corpus").resolve()


def require_corpus_file(name: str) -> Path:
    """A corpus document, or a skip with the reason (a failure when CI requires the corpus)."""
    path = CORPUS / name
    if path.is_file():
        return path
    reason = f"the OpenAPI corpus document {name} is not at {CORPUS}"
    if os.environ.get("REQUIRE_OPENAPI_CORPUS") == "1":
        pytest.fail(f"{reason}, and REQUIRE_OPENAPI_CORPUS=1 says it must be")
    pytest.skip(f"{reason} (it lives beside the repository; CI sets REQUIRE_OPENAPI_CORPUS=1 to require it)")


CUSTOMER = {"type": "object", "required": ["email"], "properties": {"email": {"type": "string"}}}
ORDER = {"type": "object", "properties": {"total": {"type": "number"}}}


def shop(*resources: str) -> dict:
    """A valid 2.0 document with one tagged resource per name: customers, orders, products..."""
    paths = {}
    for resource in resources:
        paths[f"/{resource}"] = {
            "get": {"tags": [resource.capitalize()], "responses": ok({"type": "array", "items": ref("Customer")})},
            "post": {"tags": [resource.capitalize()], "responses": ok(ref("Order"))},
        }
    return swagger(paths, definitions={"Customer": CUSTOMER, "Order": ORDER})


def keys(integration) -> dict[str, str]:
    return dict(integration.foreign_objects.values_list("key", "state"))


def latest(integration) -> OpenAPIImport:
    return integration.openapi_imports.first()


# --- Upload and the task ---------------------------------------------------------------------


def test_an_upload_stores_the_file_under_a_random_name_with_its_hash_and_size(upload, integration):
    raw = as_yaml(shop("customers"))

    upload(raw, name="shop-api.yaml")

    document = latest(integration)
    assert (document.filename, document.size) == ("shop-api.yaml", len(raw))
    assert document.sha256 == hashlib.sha256(raw).hexdigest()
    assert "shop-api" not in document.document.name and document.document.name.endswith(".yaml")
    with document.document.open("rb") as stored:
        assert stored.read() == raw
    assert AuditEvent.objects.filter(kind="openapi_import.uploaded", organization=integration.owner).exists()


def test_a_valid_document_is_read_and_its_objects_proposed(upload, integration):
    response = upload(as_yaml(shop("customers", "orders")))

    document = latest(integration)
    assert (document.status, document.detected_version, document.error_count, document.progress) == (
        ImportStatus.DONE,
        "2.0",
        0,
        100,
    )
    assert keys(integration) == {"customers": ObjectState.PROPOSED, "orders": ObjectState.PROPOSED}
    customers = integration.foreign_objects.get(key="customers")
    assert customers.paths == [{"path": "/customers", "methods": ["GET", "POST"]}]
    assert {schema["name"] for schema in customers.schemas} == {"Customer", "Order"}
    page = response.content.decode()
    assert "2 paths, 4 operations" in page and "Valid" in page
    assert "<code>/customers</code>" in page and "<code>email</code>: string" in page


def test_the_result_stored_by_the_task_equals_analyse_in_process(upload, integration):
    raw = as_json(shop("customers", "orders"))
    raw_with_errors = as_yaml(
        swagger({"/orders": {"get": {"responses": ok(ref("Missing"))}}}, info={"title": "Shop", "version": 1})
    )

    for content, name in [(raw, "api.json"), (raw_with_errors, "broken.yaml")]:
        upload(content, name=name)
        stored = dict(latest(integration).analysis)
        in_process = openapi.analyse(content, name, time_limit=None)
        expected = json.loads(json.dumps(in_process.to_dict()))

        stored.pop("timings"), expected.pop("timings")
        assert stored == expected
        assert openapi.Analysis.from_dict(latest(integration).analysis).proposals == in_process.proposals
    assert latest(integration).error_count > 0


def test_running_the_task_twice_changes_nothing_the_second_time(upload, integration):
    upload(as_yaml(shop("customers")))
    document = latest(integration)
    finished_at = document.finished_at

    tasks.import_openapi_document.delay(document.pk)

    document.refresh_from_db()
    assert document.finished_at == finished_at
    assert integration.foreign_objects.count() == 1


def test_an_upload_enqueues_the_task_only_after_commit(alice_client, integration, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        alice_client.post(
            reverse("integration_openapi", args=[integration.slug]),
            {"document": SimpleUploadedFile("api.yaml", as_yaml(shop("customers")))},
        )

    assert latest(integration).status == ImportStatus.QUEUED
    assert len(callbacks) == 1


# --- Progress ----------------------------------------------------------------------------------


def _queued(integration, alice) -> OpenAPIImport:
    return openapi_services.upload_openapi_document(
        integration, acting_user=alice, filename="api.yaml", content=as_yaml(shop("customers"))
    )


def test_an_unfinished_import_shows_a_progress_bar_polled_every_second(alice, alice_client, integration):
    document = _queued(integration, alice)  # on_commit never runs here: the import stays queued
    status_url = reverse("integration_openapi_status", args=[integration.slug, document.public_id])

    page = alice_client.get(reverse("integration_openapi", args=[integration.slug])).content.decode()
    fragment = alice_client.get(status_url, HTTP_HX_REQUEST="true")

    assert f'hx-get="{status_url}" hx-trigger="every 1s"' in page
    assert '<progress value="0" max="100"' in page
    assert "Waiting to start" in fragment.content.decode()
    assert "HX-Refresh" not in fragment.headers


def test_a_finished_import_stops_polling_and_reloads_the_page(alice, alice_client, integration):
    document = _queued(integration, alice)
    openapi_services.run_openapi_import(document.pk)
    status_url = reverse("integration_openapi_status", args=[integration.slug, document.public_id])

    fragment = alice_client.get(status_url, HTTP_HX_REQUEST="true")
    page = alice_client.get(reverse("integration_openapi", args=[integration.slug])).content.decode()

    assert fragment.headers["HX-Refresh"] == "true"
    assert "hx-trigger" not in fragment.content.decode()
    assert 'hx-trigger="every 1s"' not in page
    assert '<progress value="100" max="100"' in page


def test_the_status_of_another_integrations_import_is_not_found(alice, alice_client, integration, bluebird):
    other = IntegrationFactory(owner=bluebird)
    document = _queued(other, None)

    response = alice_client.get(reverse("integration_openapi_status", args=[integration.slug, document.public_id]))

    assert response.status_code == 404


# --- Re-imports --------------------------------------------------------------------------------


def test_a_reimport_adds_and_removes_objects_and_records_the_changes(upload, integration):
    upload(as_yaml(shop("customers", "orders")))
    integration.foreign_objects.filter(key="customers").update(name="Shoppers")

    response = upload(as_yaml(shop("customers", "products")))

    assert keys(integration) == {"customers": ObjectState.PROPOSED, "products": ObjectState.PROPOSED}
    assert integration.foreign_objects.get(key="customers").name == "Shoppers"  # names survive a re-import
    changes = openapi.ProposalDiff.from_dict(latest(integration).changes)
    assert (changes.objects_added, changes.objects_removed) == (("products",), ("orders",))
    assert {(c.method, c.path) for c in changes.paths_removed} == {("GET", "/orders"), ("POST", "/orders")}
    assert "Objects added: products" in response.content.decode()


def test_an_accepted_object_survives_its_removal_from_the_document(upload, integration, alice):
    upload(as_yaml(shop("customers", "orders")))
    orders = integration.foreign_objects.get(key="orders")
    openapi_services.accept_foreign_object(orders, acting_user=alice)

    response = upload(as_yaml(shop("customers")))

    orders.refresh_from_db()
    assert (orders.state, orders.missing_from_document) == (ObjectState.ACCEPTED, True)
    assert orders.paths == [{"path": "/orders", "methods": ["GET", "POST"]}]
    assert "No longer in the document" in response.content.decode()

    upload(as_yaml(shop("customers", "orders")))  # back again

    orders.refresh_from_db()
    assert (orders.state, orders.missing_from_document) == (ObjectState.ACCEPTED, False)


def test_a_reimport_refreshes_paths_but_keeps_the_decision(upload, integration, alice):
    upload(as_yaml(shop("customers")))
    openapi_services.drop_foreign_object(integration.foreign_objects.get(), acting_user=alice)
    document = shop("customers")
    document["paths"]["/customers/{id}"] = {"delete": {"tags": ["Customers"], "responses": ok()}}

    upload(as_yaml(document))

    customers = integration.foreign_objects.get()
    assert customers.state == ObjectState.DROPPED
    assert [entry["path"] for entry in customers.paths] == ["/customers", "/customers/{id}"]


def test_a_reimport_writes_only_the_objects_the_document_changed(upload, integration):
    upload(as_yaml(shop("customers", "orders", "products")))
    document = shop("customers", "orders", "products")
    document["paths"]["/orders/{id}"] = {"delete": {"tags": ["Orders"], "responses": ok()}}

    with CaptureQueriesContext(connection) as queries:
        upload(as_yaml(document))

    table = ForeignDataObject._meta.db_table
    updates = [q["sql"] for q in queries if q["sql"].startswith(f'UPDATE "{table}"')]
    assert len(updates) == 1 and updates[0].count("WHEN") == 3  # orders' paths, schemas and flag
    orders = integration.foreign_objects.get(key="orders")
    assert [entry["path"] for entry in orders.paths] == ["/orders", "/orders/{id}"]


# --- Bad input ---------------------------------------------------------------------------------


def _billion_laughs() -> bytes:
    lines = ['swagger: "2.0"', 'lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{n}: &lol{n} [" + ", ".join([f"*lol{n - 1}"] * 10) + "]" for n in range(1, 10)]
    return "\n".join([*lines, "paths: {bomb: *lol9}"]).encode()


REFUSED = [
    pytest.param(b'swagger: "2.0"\ninfo: {title: "A"\npaths: {}\n', "a.yaml", "could not be read", id="invalid-yaml"),
    pytest.param(_billion_laughs(), "bomb.yaml", "does not expand YAML anchors and aliases", id="billion-laughs"),
    pytest.param(b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "deep.json", "levels deep", id="deep-nesting"),
    pytest.param(b"openapi: 3.0.1\npaths: {/a: {}}\n", "api.yaml", "2.0", id="openapi-3"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "api.yaml", "PNG image", id="binary"),
]


@pytest.mark.parametrize(("raw", "name", "words"), REFUSED)
def test_a_refused_document_leaves_the_previous_import_and_objects_untouched(
    upload, integration, alice, raw, name, words
):
    upload(as_yaml(shop("customers", "orders")))
    previous = latest(integration)
    openapi_services.accept_foreign_object(integration.foreign_objects.get(key="orders"), acting_user=alice)
    before = list(ForeignDataObject.objects.filter(integration=integration).values())

    response = upload(raw, name=name)

    assert response.status_code == 200
    refused = latest(integration)
    assert refused.status == ImportStatus.REFUSED and words in refused.refused_reason
    assert "This document was refused." in response.content.decode()
    assert openapi_services.current_import(integration) == previous
    previous_before = previous.analysis
    previous.refresh_from_db()
    assert previous.analysis == previous_before and previous.status == ImportStatus.DONE
    assert list(ForeignDataObject.objects.filter(integration=integration).values()) == before


@pytest.mark.parametrize(
    "definitions",
    [
        pytest.param({"Customer": {"$ref": "http://127.0.0.1:9/customer.json"}, "Order": ORDER}, id="external-ref"),
        pytest.param({"Customer": {"$ref": "file:///etc/passwd"}, "Order": ORDER}, id="local-file-ref"),
        pytest.param({"Customer": ref("Order"), "Order": ref("Customer")}, id="circular-ref"),
    ],
)
def test_a_bad_ref_is_listed_as_an_error_and_keeps_the_objects(upload, integration, alice, definitions):
    upload(as_yaml(shop("customers", "orders")))
    openapi_services.accept_foreign_object(integration.foreign_objects.get(key="orders"), acting_user=alice)
    document = shop("customers", "orders")
    document["definitions"] = definitions

    response = upload(as_yaml(document))

    current = openapi_services.current_import(integration)
    assert current.status == ImportStatus.DONE and current.error_count >= 1 and not current.is_valid_openapi2
    assert keys(integration) == {"customers": ObjectState.PROPOSED, "orders": ObjectState.ACCEPTED}
    page = response.content.decode()
    assert "<code>definitions.Customer" in page or "<code>definitions.Order" in page
    assert "root:x:" not in page


def test_an_oversized_upload_is_refused_before_an_import_exists(upload, integration):
    upload(as_yaml(shop("customers")))
    before = keys(integration)

    response = upload(b"x" * (openapi.MAX_BYTES + 1), name="huge.yaml")

    assert response.status_code == 200
    assert "This file is 10.0 MB; the limit is 10 MB." in response.content.decode()
    assert integration.openapi_imports.count() == 1
    assert keys(integration) == before


def test_an_empty_upload_is_refused(upload, integration):
    response = upload(b"", name="api.yaml")

    assert "The submitted file is empty." in response.content.decode()
    assert not integration.openapi_imports.exists()


def test_an_sdk_integration_needs_no_document(alice_client, integration):
    integration.kind = IntegrationKind.SDK
    integration.save(update_fields=["kind"])

    page = alice_client.get(reverse("integration_openapi", args=[integration.slug])).content.decode()
    response = alice_client.post(
        reverse("integration_openapi", args=[integration.slug]),
        {"document": SimpleUploadedFile("api.yaml", as_yaml(shop("customers")))},
    )

    assert "it needs no OpenAPI document" in page
    assert reverse("integration_edit", args=[integration.slug]) in page
    assert not integration.openapi_imports.exists()
    assert response.status_code == 200


def test_a_failure_of_ours_ends_the_import_as_failed(alice, integration, monkeypatch):
    document = _queued(integration, alice)
    monkeypatch.setattr(openapi, "analyse", lambda *args, **kwargs: 1 / 0)

    openapi_services.run_openapi_import(document.pk)

    document.refresh_from_db()
    assert document.status == ImportStatus.FAILED and "error on our side" in document.refused_reason


def test_a_failed_import_is_recorded_once_against_its_document(alice, integration, monkeypatch):
    document = _queued(integration, alice)
    monkeypatch.setattr(openapi, "analyse", lambda *args, **kwargs: 1 / 0)

    openapi_services.run_openapi_import(document.pk)
    openapi_services.run_openapi_import(document.pk)  # a redelivered task finds it finished

    event = AuditEvent.objects.get(kind="openapi_import.failed")
    assert (event.target, event.within, event.organization, event.actor) == (
        document,
        integration,
        integration.owner,
        None,
    )
    assert event.sentence == f"The portal could not import the OpenAPI document api.yaml into {integration.name}"


# --- The Compatible rule -------------------------------------------------------------------------


def test_api_described_passes_only_for_a_valid_2_0_document(upload, integration):
    version = IntegrationVersionFactory(integration=integration)

    upload(as_yaml(swagger({"/a": {"get": {"responses": ok(ref("Missing"))}}})))
    assert not compatible_ready.api_described(tiers.load_facts(version)).passed

    upload(as_yaml(shop("customers")))
    assert compatible_ready.api_described(tiers.load_facts(version)).passed

    upload(b"openapi: 3.0.0\npaths: {}\n")  # refused: the valid document stays current
    assert compatible_ready.api_described(tiers.load_facts(version)).passed


# --- Foreign data objects ----------------------------------------------------------------------


@pytest.fixture
def objects(upload, integration):
    upload(as_yaml(shop("customers", "orders", "products")))
    return {obj.key: obj for obj in integration.foreign_objects.all()}


def _update(client, integration, obj, htmx=False, **data):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("foreign_object_update", args=[integration.slug, obj.public_id])
    return client.post(url, data, **headers)


def test_accepting_an_object_updates_its_row_in_place(alice_client, integration, objects):
    response = _update(alice_client, integration, objects["orders"], htmx=True, action="accept")

    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<article id="object-{objects["orders"].public_id}"')
    assert "Accepted" in fragment and "<html" not in fragment
    objects["orders"].refresh_from_db()
    assert objects["orders"].state == ObjectState.ACCEPTED
    assert AuditEvent.objects.filter(kind="foreign_object.accepted").count() == 1


def test_without_htmx_an_action_redirects_back_to_the_object(alice_client, integration, objects):
    response = _update(alice_client, integration, objects["orders"], action="drop")

    assert response.status_code == 302
    assert response["Location"].endswith(f"#object-{objects['orders'].public_id}")
    objects["orders"].refresh_from_db()
    assert objects["orders"].state == ObjectState.DROPPED


def test_a_dropped_object_can_be_accepted_again(alice, objects):
    openapi_services.drop_foreign_object(objects["orders"], acting_user=alice)

    obj = openapi_services.accept_foreign_object(objects["orders"], acting_user=alice)

    assert obj.state == ObjectState.ACCEPTED


def test_renaming_keeps_the_state_and_trims_the_name(alice_client, integration, objects):
    _update(alice_client, integration, objects["orders"], action="accept")

    _update(alice_client, integration, objects["orders"], action="rename", name="  Sales   orders ")

    objects["orders"].refresh_from_db()
    assert (objects["orders"].name, objects["orders"].state) == ("Sales orders", ObjectState.ACCEPTED)


@pytest.mark.parametrize(("name", "message"), [("   ", "Give the object a name."), ("x" * 121, "at most 120")])
def test_a_bad_name_is_refused_with_a_message(alice_client, integration, objects, name, message):
    response = _update(alice_client, integration, objects["orders"], htmx=True, action="rename", name=name)

    assert message in response.content.decode()
    objects["orders"].refresh_from_db()
    assert objects["orders"].name == "Orders"


def test_an_unknown_action_is_refused(alice_client, integration, objects):
    response = _update(alice_client, integration, objects["orders"], htmx=True, action="delete")

    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_merging_combines_paths_and_schemas_and_deletes_the_others(alice, alice_client, integration, objects):
    openapi_services.accept_foreign_object(objects["products"], acting_user=alice)
    url = reverse("foreign_objects_merge", args=[integration.slug])

    response = alice_client.post(
        url, {"objects": [objects["orders"].public_id, objects["products"].public_id], "name": "Sales"}
    )

    assert response.status_code == 302
    merged = integration.foreign_objects.get(public_id=objects["orders"].public_id)
    assert (merged.name, merged.state, merged.key) == ("Sales", ObjectState.ACCEPTED, "orders+products")
    assert [entry["path"] for entry in merged.paths] == ["/orders", "/products"]
    assert not integration.foreign_objects.filter(public_id=objects["products"].public_id).exists()


def test_a_merged_object_is_refreshed_whole_by_a_reimport(alice, upload, integration, objects):
    openapi_services.merge_foreign_objects(
        integration, acting_user=alice, public_ids=[objects["orders"].public_id, objects["products"].public_id]
    )

    upload(as_yaml(shop("customers", "orders", "products")))

    assert keys(integration) == {"customers": ObjectState.PROPOSED, "orders+products": ObjectState.PROPOSED}
    merged = integration.foreign_objects.get(key="orders+products")
    assert [entry["path"] for entry in merged.paths] == ["/orders", "/products"]


def test_merging_fewer_than_two_objects_is_refused(alice, alice_client, integration, objects):
    with pytest.raises(ActionRefused, match="at least two"):
        openapi_services.merge_foreign_objects(
            integration, acting_user=alice, public_ids=[objects["orders"].public_id] * 2
        )

    url = reverse("foreign_objects_merge", args=[integration.slug])
    response = alice_client.post(url, {"objects": [objects["orders"].public_id]}, follow=True)
    assert "Choose at least two objects to merge." in response.content.decode()


def test_merging_another_integrations_object_is_refused(alice, integration, objects, bluebird):
    stranger = ForeignDataObject.objects.create(integration=IntegrationFactory(owner=bluebird), key="x", name="X")

    with pytest.raises(ActionRefused, match="not objects of this integration"):
        openapi_services.merge_foreign_objects(
            integration, acting_user=alice, public_ids=[objects["orders"].public_id, stranger.public_id]
        )
    assert ForeignDataObject.objects.filter(pk=stranger.pk).exists()


def test_another_organizations_object_is_not_found(alice_client, integration, bluebird):
    stranger = ForeignDataObject.objects.create(integration=IntegrationFactory(owner=bluebird), key="x", name="X")

    response = alice_client.post(
        reverse("foreign_object_update", args=[integration.slug, stranger.public_id]), {"action": "accept"}
    )

    assert response.status_code == 404


# --- The page ------------------------------------------------------------------------------------


def test_the_page_lists_errors_with_locations_and_hints(upload, integration):
    document = shop("customers")
    document["info"]["description"] = {"$ref": "README.md"}
    document["paths"]["/customers"]["get"]["responses"] = ok({"oneOf": [ref("Customer"), ref("Order")]})

    page = upload(as_yaml(document)).content.decode()

    assert "<code>info.description.$ref</code>" in page
    assert "oneOf" in page
    assert latest(integration).error_count >= 2


def test_the_page_query_count_does_not_grow_with_the_objects(
    upload, alice_client, integration, django_assert_max_num_queries
):
    url = reverse("integration_openapi", args=[integration.slug])
    upload(as_yaml(shop("customers")))
    with CaptureQueriesContext(connection) as small:
        alice_client.get(url)
    for _ in range(3):
        upload(as_yaml(shop(*[f"resource{n}" for n in range(30)])))

    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as large:
        response = alice_client.get(url)

    assert response.status_code == 200 and "Resource29" in response.content.decode()
    assert len(large) == len(small)


def test_an_associated_integrators_organization_may_not_see_another_integration(bob, integration):
    response = client_for(bob).get(reverse("integration_openapi", args=[integration.slug]))

    assert response.status_code == 404


# --- The corpus ----------------------------------------------------------------------------------


def test_a_valid_corpus_document_imports_through_the_page(upload, integration):
    path = require_corpus_file("walmart__inventory-3.0.1__swagger.yaml")

    response = upload(path.read_bytes(), name=path.name)

    document = latest(integration)
    assert document.is_valid_openapi2
    assert integration.foreign_objects.exists()
    assert "Valid" in response.content.decode()


def test_an_invalid_corpus_document_lists_its_errors_on_the_page(upload, integration):
    path = require_corpus_file("adobe-commerce__2.4.9-customer__customer-schema-2.4.9.yaml")

    response = upload(path.read_bytes(), name=path.name)

    document = latest(integration)
    assert document.status == ImportStatus.DONE and document.error_count >= 1
    assert integration.foreign_objects.exists()
    assert "<code>info.description.$ref</code>" in response.content.decode()
