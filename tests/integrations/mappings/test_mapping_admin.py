"""Staff inspect the data model links, translation tables, template mappings (with their rows) and
mapping test runs (with their results) in the admin: every changelist and change page loads, in a
number of queries that does not grow with the rows, and nothing there changes them."""

import pytest
from django.urls import reverse

from integrations.mapping_tests import services as mapping_test_services
from integrations.mappings import services as mapping_services
from integrations.mappings import tables as table_services
from integrations.mappings.services import RowValues
from integrations.models import (
    ForeignDataObject,
    ForeignObjectLink,
    MappingCollection,
    MappingTest,
    MappingTestResult,
    MappingTestRun,
    ObjectState,
    Outcome,
    ScopeLink,
    TemplateMapping,
    TranslationTable,
    WebhookScope,
)
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping

pytestmark = pytest.mark.django_db

MODELS = [ForeignObjectLink, ScopeLink, TranslationTable, TemplateMapping, MappingTest, MappingTestRun]


def make_world(owner, user, n: int) -> None:
    """One integration with one of everything the mapping admin pages show."""
    integration = IntegrationFactory(owner=owner, name=f"Integration {n}")
    version = IntegrationVersionFactory(integration=integration, number="1.0.0")
    customer = MappingCollection.objects.get(key="customer")
    obj = ForeignDataObject.objects.create(
        integration=integration, key="customers", name="Customers", state=ObjectState.ACCEPTED
    )
    mapping_services.link_foreign_object(
        obj, acting_user=user, collection=customer, to_ipaas_methods=["GET"], from_ipaas_methods=["POST"]
    )
    scope = WebhookScope.objects.create(integration=integration, name="customer/created")
    mapping_services.link_scope(scope, acting_user=user, collection=customer, direction="to_ipaas")
    table = table_services.save_translation_table(
        integration, acting_user=user, table=None, name="Countries", rows=[("USA", "US")]
    )
    mapping = template_mapping(version, user, "Magento Customer ADD TO IPAAS")
    for values in (
        RowValues("Email", "field", source="email"),
        RowValues("Country", "translation", source="country", table=table),
    ):
        mapping_services.add_mapping_row(mapping, acting_user=user, values=values)
    test = mapping_test_services.create_mapping_test(
        mapping, acting_user=user, name="New web customer", sample="{}", expected='{"Email": "a"}'
    )
    run = MappingTestRun.objects.create(version=version, total=1, done=1, started_by=user)
    MappingTestResult.objects.create(
        run=run, test=test, outcome=Outcome.FAIL, mapping_revision=3, diff=[{"path": "Email", "kind": "missing"}]
    )


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:integrations_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_staff_open_the_changelist_and_the_change_page(sam, northwind, alice, model):
    make_world(northwind, alice, 1)
    client = client_for(sam)
    changelist = client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert f"1 {model._meta.verbose_name}" in changelist.content.decode()  # the paginator counts one
    change = client.get(admin_url(model, "change", model.objects.get().pk))
    assert change.status_code == 200


def test_the_mapping_page_shows_its_rows_and_the_run_page_its_results(sam, northwind, alice):
    make_world(northwind, alice, 1)
    client = client_for(sam)
    mapping_page = client.get(admin_url(TemplateMapping, "change", TemplateMapping.objects.get().pk)).content.decode()
    assert "Email" in mapping_page and "Countries" in mapping_page
    run_page = client.get(admin_url(MappingTestRun, "change", MappingTestRun.objects.get().pk)).content.decode()
    assert "New web customer" in run_page and "Fail" in run_page


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelists_answer_in_constant_queries(sam, northwind, alice, model, django_assert_max_num_queries):
    make_world(northwind, alice, 1)
    client = client_for(sam)
    with django_assert_max_num_queries(40) as few:
        assert client.get(admin_url(model, "changelist")).status_code == 200
    for n in range(2, 6):
        make_world(northwind, alice, n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_nothing_is_added_changed_or_deleted_in_the_admin(sam, northwind, alice, model):
    make_world(northwind, alice, 1)
    client = client_for(sam)
    pk = model.objects.get().pk
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "change", pk), {}).status_code == 403
    assert client.post(admin_url(model, "delete", pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=pk).exists()


def test_anyone_but_staff_is_kept_out(alice, northwind):
    make_world(northwind, alice, 1)
    response = client_for(alice).get(admin_url(TemplateMapping, "changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]
