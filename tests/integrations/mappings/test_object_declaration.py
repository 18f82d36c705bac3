"""Foreign data objects declared by hand on the data model links page (the only way an SDK
integration gets them): declared and linked in one submit, refused with a message next to the
field, left alone by OpenAPI re-imports, removed with their link; tenancy and query counts."""

import html
import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from integrations.mappings import objects as object_services
from integrations.models import (
    ForeignDataObject,
    ForeignObjectLink,
    IntegrationKind,
    MappingCollection,
    ObjectState,
    WebhookScope,
)
from integrations.openapi import services as openapi_services
from integrations.tiers import engine as tiers
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.conftest import client_for
from tests.factories import IntegrationFactory
from tests.integrations import tier_world as world
from tests.integrations.openapi.builders import as_yaml, ok, swagger

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return MappingCollection.objects.get(key="customer")


@pytest.fixture
def integration(northwind):
    return IntegrationFactory(owner=northwind, name="Cin7 by Northwind", slug="cin7-by-northwind", kind="sdk")


def declare_url(integration) -> str:
    return reverse("foreign_object_declare", args=[integration.slug])


def declaration(customer, **values) -> dict:
    data = {"name": "Customers", "endpoints": "", "collection": customer.pk, "to_ipaas_methods": ["GET"]}
    data.update(values)
    return {f"declare-{key}": value for key, value in data.items()}


def declare(integration, user, customer, name="Customers", paths=(), to_ipaas=("GET",), from_ipaas=()):
    return object_services.declare_foreign_object(
        integration,
        acting_user=user,
        name=name,
        paths=list(paths),
        collection=customer,
        to_ipaas_methods=list(to_ipaas),
        from_ipaas_methods=list(from_ipaas),
    )


def rule_result(version, code: str):
    return {rule.code: result for checklist in tiers.evaluate(version) for rule, result in checklist.results}[code]


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def field_errors(response, field: str) -> str:
    """The messages Django shows next to one field of the declaration form."""
    found = re.search(rf'<ul class="errorlist" id="id_declare-{field}_error">(.*?)</ul>', page_of(response), re.S)
    return found.group(1) if found else ""


def text_of(response) -> str:
    """The page's text as a person reads it: no tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_of(response)).split()).replace(" :", ":").replace(" ;", ";")


# --- Declaring -----------------------------------------------------------------------------


def test_an_sdk_integration_declares_an_object_that_counts_for_the_certified_rule(northwind, alice, customer):
    integration, version = world.ready_integration(northwind, alice)
    integration.kind = IntegrationKind.SDK
    integration.save(update_fields=["kind"])
    assert not rule_result(version, "collections_have_directions").passed
    data = declaration(
        customer,
        endpoints="GET /customers\npost /customers\n\n/customers/{id}\nGET /customers",
        from_ipaas_methods=["POST"],
    )

    response = client_for(alice).post(declare_url(integration), data)

    assert response.status_code == 302
    obj = ForeignDataObject.objects.get(integration=integration)
    assert (obj.name, obj.state, obj.declared_by_hand) == ("Customers", ObjectState.ACCEPTED, True)
    assert obj.key == "declared:customers"
    assert obj.paths == [
        {"path": "/customers", "methods": ["GET", "POST"]},
        {"path": "/customers/{id}", "methods": []},
    ]
    link = ForeignObjectLink.objects.get(foreign_object=obj)
    assert (link.collection, link.to_ipaas_methods, link.from_ipaas_methods) == (customer, ["GET"], ["POST"])
    event = AuditEvent.objects.get(kind="foreign_object.declared")
    assert (event.actor, event.target, event.within, event.to_state) == (alice, obj, integration, "Customer")
    found = rule_result(version, "collections_have_directions")
    assert found.passed, found.message


def test_an_sdk_integration_without_objects_is_sent_to_declare_them(northwind, alice):
    integration, version = world.ready_integration(northwind, alice)
    integration.kind = IntegrationKind.SDK
    integration.save(update_fields=["kind"])

    found = rule_result(version, "collections_have_directions")

    assert not found.passed
    assert found.message.startswith("Declare the foreign data objects the connector exchanges")
    assert found.url == reverse("integration_collections", args=[integration.slug])


def test_the_links_page_says_how_objects_come_for_each_kind(alice, integration, northwind):
    sdk_page = page_of(client_for(alice).get(reverse("integration_collections", args=[integration.slug])))
    dynamic = IntegrationFactory(owner=northwind, name="Magento by Northwind", kind="dynamic")
    dynamic_page = page_of(client_for(alice).get(reverse("integration_collections", args=[dynamic.slug])))

    assert "Declare a data object" in sdk_page and "Declare a data object" in dynamic_page
    assert "An SDK integration has no OpenAPI document" in sdk_page
    assert "The OpenAPI import proposes the data objects" in dynamic_page
    assert "An SDK integration has no OpenAPI document" not in dynamic_page


def test_a_declared_object_is_listed_with_its_paths_and_a_way_to_remove_it(alice, integration, customer):
    obj = declare(integration, alice, customer, paths=[{"path": "/customers", "methods": ["GET"]}])

    page = page_of(client_for(alice).get(reverse("integration_collections", args=[integration.slug])))

    assert "Declared by hand" in page and "GET /customers" in page
    assert reverse("foreign_object_remove_confirm", args=[integration.slug, obj.public_id]) in page


@pytest.mark.parametrize("typed", ["customers", "  CUSTOMERS ", "Customers"])
def test_a_duplicate_name_is_refused_next_to_the_name_field_in_any_case(alice, integration, customer, typed):
    declare(integration, alice, customer)

    response = client_for(alice).post(declare_url(integration), declaration(customer, name=typed))

    assert response.status_code == 400
    assert "This integration already has a data object named “Customers”." in field_errors(response, "name")
    assert f'value="{typed}"' in page_of(response)
    assert ForeignDataObject.objects.count() == 1


def test_the_name_of_an_object_the_document_proposes_is_refused_with_where_to_accept_it(alice, northwind, customer):
    dynamic = IntegrationFactory(owner=northwind, name="Magento by Northwind", kind="dynamic")
    ForeignDataObject.objects.create(integration=dynamic, key="customers", name="Customers")

    with pytest.raises(object_services.NameTaken, match="accept it on the OpenAPI page"):
        declare(dynamic, alice, customer, name="customers")


def test_a_double_submit_declares_one_object(alice, integration, customer):
    client = client_for(alice)
    first = client.post(declare_url(integration), declaration(customer))
    second = client.post(declare_url(integration), declaration(customer))

    assert (first.status_code, second.status_code) == (302, 400)
    assert ForeignDataObject.objects.filter(integration=integration).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL (SQLite has none)")
def test_two_declarations_of_one_name_at_once_declare_one_object(alice, integration, customer):
    barrier, outcomes = threading.Barrier(2), []

    def submit():
        barrier.wait()
        try:
            declare(integration, alice, customer)
            outcomes.append("declared")
        except object_services.NameTaken:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["declared", "refused"]
    assert AuditEvent.objects.filter(kind="foreign_object.declared").count() == 1


def test_the_database_refuses_two_declared_objects_of_one_name(alice, integration, customer):
    declare(integration, alice, customer)

    with pytest.raises(IntegrityError), transaction.atomic():
        ForeignDataObject.objects.create(
            integration=integration, key="declared:other", name="CUSTOMERS", declared_by_hand=True
        )


def test_names_with_one_slug_get_distinct_keys(alice, integration, customer):
    first = declare(integration, alice, customer, name="Customers!")
    second = declare(integration, alice, customer, name="Customers?")

    assert (first.key, second.key) == ("declared:customers", "declared:customers-2")


@pytest.mark.parametrize(
    ("endpoints", "message"),
    [
        (
            "GET /customers\nFETCH /orders",
            "Line 2: “FETCH” is not an HTTP method: use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS.",
        ),
        ("\n\ncustomers", "Line 3: the path “customers” must start with “/”, such as /customers."),
        ("GET /customers?page=2", "Line 1: write the path “/customers?page=2” without a query string"),
        ("GET /a /b", "Line 1: “GET /a /b” is not one endpoint"),
        ("/a\nDELETE", "Line 2: “DELETE” has no path"),
    ],
)
def test_a_bad_endpoint_line_is_refused_with_its_line_number_and_the_text_kept(
    alice, integration, customer, endpoints, message
):
    response = client_for(alice).post(declare_url(integration), declaration(customer, endpoints=endpoints))

    assert response.status_code == 400
    assert message in field_errors(response, "endpoints")
    assert endpoints.strip() in page_of(response)  # the typed text is kept in the textarea
    assert not ForeignDataObject.objects.exists()


def test_every_bad_endpoint_line_gets_its_own_message():
    paths, problems = object_services.parse_endpoints("FETCH /a\n/ok\nb\nGET /ok")

    assert paths == [{"path": "/ok", "methods": ["GET"]}]
    assert [problem.split(":")[0] for problem in problems] == ["Line 1", "Line 3"]


def test_methods_of_no_direction_are_refused_and_the_name_kept(alice, integration, customer):
    data = declaration(customer, name="Loyalty points")
    del data["declare-to_ipaas_methods"]

    response = client_for(alice).post(declare_url(integration), data)

    assert response.status_code == 400
    page = page_of(response)
    assert "Tick the methods of at least one direction" in page
    assert 'value="Loyalty points"' in page
    assert not ForeignDataObject.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "   "}, "name"),
        ({"collection": ""}, "collection"),
        ({"to_ipaas_methods": ["FETCH"]}, "to_ipaas_methods"),
    ],
)
def test_other_bad_input_is_refused_without_an_error_page(alice, integration, customer, values, field):
    response = client_for(alice).post(declare_url(integration), declaration(customer, **values))

    assert response.status_code == 400
    assert field_errors(response, field)
    assert not ForeignDataObject.objects.exists()


def test_another_organization_gets_404_and_declares_nothing(bob, integration, customer):
    response = client_for(bob).post(declare_url(integration), declaration(customer))

    assert response.status_code == 404
    assert not ForeignDataObject.objects.exists()


def test_an_associated_integrator_may_declare(bob, bluebird, integration, customer):
    world.accepted_association(integration, bluebird)

    response = client_for(bob).post(declare_url(integration), declaration(customer))

    assert response.status_code == 302
    assert AuditEvent.objects.get(kind="foreign_object.declared").actor == bob


# --- Imports leave them alone ----------------------------------------------------------------


@pytest.fixture
def upload(alice, django_capture_on_commit_callbacks):
    def post(integration, document: dict):
        url = reverse("integration_openapi", args=[integration.slug])
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(alice).post(url, {"document": SimpleUploadedFile("api.yaml", as_yaml(document))})
        assert response.status_code == 302

    return post


def tagged(*tags: str) -> dict:
    return swagger({f"/{tag.lower().replace(' ', '-')}": {"get": {"tags": [tag], "responses": ok()}} for tag in tags})


def test_a_reimport_leaves_declared_objects_alone(alice, northwind, customer, upload):
    dynamic = IntegrationFactory(owner=northwind, name="Magento by Northwind", kind="dynamic")
    upload(dynamic, tagged("Orders"))
    loyalty = declare(dynamic, alice, customer, name="Loyalty", paths=[{"path": "/loyalty", "methods": ["GET"]}])
    before = ForeignDataObject.objects.filter(pk=loyalty.pk).values().get()

    upload(dynamic, tagged("Products"))  # Orders goes, and nothing in it is Loyalty's
    upload(dynamic, tagged("Products", "Loyalty"))  # a proposal of the same name and slug

    assert ForeignDataObject.objects.filter(pk=loyalty.pk).values().get() == before
    assert ForeignObjectLink.objects.filter(foreign_object=loyalty).exists()
    proposed = dynamic.foreign_objects.get(key="loyalty")
    assert (proposed.name, proposed.state, proposed.declared_by_hand) == ("Loyalty", ObjectState.PROPOSED, False)
    openapi_page = page_of(client_for(alice).get(reverse("integration_openapi", args=[dynamic.slug])))
    assert "declared:loyalty" not in openapi_page and str(loyalty.public_id) not in openapi_page


def test_a_declared_object_cannot_be_dropped_or_merged_as_the_documents_are(alice, northwind, customer):
    dynamic = IntegrationFactory(owner=northwind, name="Magento by Northwind", kind="dynamic")
    imported = ForeignDataObject.objects.create(integration=dynamic, key="orders", name="Orders")
    loyalty = declare(dynamic, alice, customer, name="Loyalty")

    with pytest.raises(ActionRefused, match="remove it on the data model links page"):
        openapi_services.drop_foreign_object(loyalty, acting_user=alice)
    with pytest.raises(ActionRefused, match="declared by hand cannot be merged"):
        openapi_services.merge_foreign_objects(
            dynamic, acting_user=alice, public_ids=[imported.public_id, loyalty.public_id]
        )
    url = reverse("foreign_object_update", args=[dynamic.slug, loyalty.public_id])
    assert client_for(alice).post(url, {"action": "drop"}).status_code == 404
    loyalty.refresh_from_db()
    assert (loyalty.state, loyalty.key) == (ObjectState.ACCEPTED, "declared:loyalty")


# --- Removing ------------------------------------------------------------------------------


def remove_urls(obj) -> tuple[str, str]:
    args = [obj.integration.slug, obj.public_id]
    return reverse("foreign_object_remove_confirm", args=args), reverse("foreign_object_remove", args=args)


def test_removing_a_declared_object_removes_its_link_and_recomputes_the_tiers(
    alice, integration, customer, monkeypatch
):
    obj = declare(integration, alice, customer, to_ipaas=["GET"], from_ipaas=["POST"])
    causes = []
    recompute = tiers.recompute
    monkeypatch.setattr(tiers, "recompute", lambda i, *, cause: causes.append(cause) or recompute(i, cause=cause))
    confirm, remove = remove_urls(obj)
    client = client_for(alice)

    page = text_of(client.get(confirm))
    response = client.post(remove)

    assert "Removing it removes its link to the data model too: Customer; To iPaaS: GET; From iPaaS: POST" in page
    assert response.status_code == 302
    assert not ForeignDataObject.objects.exists() and not ForeignObjectLink.objects.exists()
    assert causes == [object_services.CAUSE_REMOVED]
    event = AuditEvent.objects.get(kind="foreign_object.removed")
    assert (event.actor, event.from_state) == (alice, "Customer")
    assert client.post(remove).status_code == 404  # a second submit finds nothing


def test_removing_twice_at_the_service_does_nothing_the_second_time(alice, integration, customer):
    obj = declare(integration, alice, customer)

    assert object_services.remove_foreign_object(obj, acting_user=alice) is True
    assert object_services.remove_foreign_object(obj, acting_user=alice) is False
    assert AuditEvent.objects.filter(kind="foreign_object.removed").count() == 1


def test_an_object_the_document_proposed_is_not_removed_here(alice, northwind):
    dynamic = IntegrationFactory(owner=northwind, name="Magento by Northwind", kind="dynamic")
    imported = ForeignDataObject.objects.create(
        integration=dynamic, key="orders", name="Orders", state=ObjectState.ACCEPTED
    )
    confirm, remove = remove_urls(imported)
    client = client_for(alice)

    page = page_of(client.get(confirm))
    response = client.post(remove)

    assert "Orders was proposed by the OpenAPI document: drop it on the OpenAPI page instead" in page
    assert 'action="' + remove not in page
    assert response.status_code == 409
    assert ForeignDataObject.objects.filter(pk=imported.pk).exists()


def test_another_organization_gets_404_removing(bob, alice, integration, customer):
    obj = declare(integration, alice, customer)
    confirm, remove = remove_urls(obj)

    assert client_for(bob).get(confirm).status_code == 404
    assert client_for(bob).post(remove).status_code == 404
    assert ForeignDataObject.objects.filter(pk=obj.pk).exists()


def test_removing_answers_only_post(alice, integration, customer):
    _, remove = remove_urls(declare(integration, alice, customer))

    assert client_for(alice).get(remove).status_code == 405


# --- The page's cost -----------------------------------------------------------------------


def test_the_links_page_answers_in_constant_queries(alice, integration, customer, django_assert_max_num_queries):
    url = reverse("integration_collections", args=[integration.slug])
    client = client_for(alice)
    declare(integration, alice, customer, name="Object 0")
    WebhookScope.objects.create(integration=integration, name="customer/created")
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200

    for n in range(1, 8):
        declare(integration, alice, customer, name=f"Object {n}")
        WebhookScope.objects.create(integration=integration, name=f"customer/updated{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
