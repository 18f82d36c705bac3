"""Every form that creates (an application, an application version, an integration, an
integration version, a template mapping, a mapping test) carries a one-time token: the same form
sent twice creates once and leads the second submission to the first's result. Same-named
integrations in one organization are refused (a database constraint behind the check); slug
clashes between organizations are retried, never a 500."""

import json
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from integrations.models import (
    Application,
    ApplicationVersion,
    Integration,
    IntegrationVersion,
    MappingCollection,
    MappingTest,
    TemplateMapping,
)
from integrations.registry import services
from integrations.workspace import services as integration_services
from portal.form_tokens import ALREADY_SENT
from portal.services import ActionRefused
from tests.concurrency import at_once, postgresql_only
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping
from tests.integrations.workspace.test_integrations import declaration_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice, provider, magento):
    integration = IntegrationFactory(owner=provider, application=magento, name="Magento by Northwind")
    version = IntegrationVersionFactory(integration=integration, number="1.0.0")
    mapping = template_mapping(version, alice, "Magento Customer ADD TO IPAAS")
    return {"magento": magento, "integration": integration, "version": version, "mapping": mapping}


def _forms(world) -> dict:
    """Each create form: its URL, what a person sends, and the model whose rows it creates."""
    integration, version, mapping = world["integration"], world["version"], world["mapping"]
    return {
        "application": (
            reverse("application_create"),
            {"name": "Adobe Commerce", "website": "", "category": "ecommerce", "description": ""},
            Application,
        ),
        "application version": (
            reverse("version_create", args=[world["magento"].slug]),
            {"label": "Open Source 2.6.x", "release_date": "2026-01-20", "notes": ""},
            ApplicationVersion,
        ),
        "integration": (
            reverse("integration_create"),
            declaration_data(world["magento"], name="Magento Pro"),
            Integration,
        ),
        "integration version": (
            reverse("integration_version_create", args=[integration.slug]),
            {"number": "1.1.0", "release_notes": "Faster"},
            IntegrationVersion,
        ),
        "template mapping": (
            reverse("mapping_collection_create", args=[integration.slug, version.public_id]),
            {"collection": MappingCollection.objects.get(key="product").pk, "direction": "to_ipaas"}
            | {"sync_type": "add", "collision_handling": "skip"},
            TemplateMapping,
        ),
        "mapping test": (
            reverse("mapping_test_create", args=[integration.slug, version.public_id, mapping.public_id]),
            {"name": "Copies", "sample": json.dumps({"e": 1}), "expected": json.dumps({})},
            MappingTest,
        ),
    }


FORMS = ["application", "application version", "integration", "integration version", "template mapping"]
FORMS += ["mapping test"]


@pytest.mark.parametrize("form", FORMS)
def test_a_create_page_carries_a_one_time_token(world, alice, form):
    page, _, _ = _forms(world)[form]
    if form == "mapping test":  # its form is on the template mapping's page
        page = reverse(
            "mapping_collection_detail",
            args=[world["integration"].slug, world["version"].public_id, world["mapping"].public_id],
        )

    assert 'name="form_token"' in client_for(alice).get(page).content.decode()


@pytest.mark.parametrize("form", FORMS)
def test_a_form_sent_twice_creates_once_and_leads_to_the_first_result(world, alice, form):
    url, data, model = _forms(world)[form]
    before, client, data = model.objects.count(), client_for(alice), data | {"form_token": str(uuid.uuid4())}

    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    assert first.status_code == 302, first.content.decode()[:2000]
    assert second.redirect_chain[0] == (first["Location"], 302)
    assert ALREADY_SENT in second.content.decode()
    assert model.objects.count() == before + 1


def test_a_second_integration_of_one_name_in_one_organization_is_refused(alice, provider, magento):
    integration_services.create_integration(provider, acting_user=alice, application=magento, name="Magento Pro")

    with pytest.raises(ActionRefused, match="already has an integration called “magento pro”"):
        integration_services.create_integration(provider, acting_user=alice, application=magento, name="magento pro")


def test_renaming_an_integration_to_a_name_its_organization_has_is_refused(alice, provider, magento):
    integration_services.create_integration(provider, acting_user=alice, application=magento, name="Magento Pro")
    other = integration_services.create_integration(provider, acting_user=alice, application=magento, name="Lite")

    with pytest.raises(ActionRefused, match="already has an integration called “Magento Pro”"):
        integration_services.update_integration(
            other, acting_user=alice, acting_organization=provider, name="Magento Pro"
        )


def test_the_database_refuses_two_integrations_of_one_name_in_one_organization(provider, magento):
    IntegrationFactory(owner=provider, application=magento, name="Magento Pro")

    with pytest.raises(IntegrityError), transaction.atomic():
        IntegrationFactory(owner=provider, application=magento, name="MAGENTO PRO")


def test_two_organizations_may_name_an_integration_alike(alice, bob, provider, bluebird, magento):
    first = integration_services.create_integration(provider, acting_user=alice, application=magento, name="Sync")
    second = integration_services.create_integration(bluebird, acting_user=bob, application=magento, name="Sync")

    assert (first.slug, second.slug) == ("sync", "sync-2")


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_two_organizations_naming_an_integration_alike_at_once_both_get_one(alice, bob, provider, bluebird, magento):
    def create(owner, user):
        return lambda: integration_services.create_integration(
            owner, acting_user=user, application=magento, name="Sync"
        )

    outcomes = at_once(create(provider, alice), create(bluebird, bob))

    assert all(isinstance(outcome, Integration) for outcome in outcomes), outcomes
    assert sorted(outcome.slug for outcome in outcomes) == ["sync", "sync-2"]


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_one_organization_creating_one_name_four_times_at_once_gets_one(alice, provider, magento):
    def create():
        return integration_services.create_integration(provider, acting_user=alice, application=magento, name="Sync")

    outcomes = at_once(create, create, create, create)

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["ActionRefused"] * 3 + ["Integration"]
    assert Integration.objects.filter(owner=provider, name="Sync").count() == 1


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_two_providers_registering_one_application_name_at_once_both_get_one(alice, bob, provider, other_provider):
    def register(owner, user):
        return lambda: services.create_application(
            owner, acting_user=user, name="Shopify", website="", category="ecommerce", description="", is_published=True
        )

    outcomes = at_once(register(provider, alice), register(other_provider, bob))

    assert all(isinstance(outcome, Application) for outcome in outcomes), outcomes
    assert sorted(outcome.slug for outcome in outcomes) == ["shopify", "shopify-2"]


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_a_double_click_on_create_integration_makes_one_and_no_error(world, alice):
    url, data, _ = _forms(world)["integration"]
    data = data | {"form_token": str(uuid.uuid4())}
    clients = [client_for(alice), client_for(alice)]

    responses = at_once(*[lambda c=c: c.post(url, data) for c in clients])

    assert [response.status_code for response in responses] == [302, 302]
    assert Integration.objects.filter(name="Magento Pro").count() == 1


@pytest.mark.django_db(transaction=True)
@postgresql_only
@pytest.mark.parametrize("form", FORMS)
def test_a_form_sent_twice_at_once_creates_once_and_answers_both(world, alice, form):
    url, data, model = _forms(world)[form]
    before, data = model.objects.count(), data | {"form_token": str(uuid.uuid4())}
    clients = [client_for(alice), client_for(alice)]

    responses = at_once(*[lambda c=c: c.post(url, data) for c in clients])

    assert [getattr(response, "status_code", response) for response in responses] == [302, 302]
    assert model.objects.count() == before + 1


@pytest.mark.django_db(transaction=True)
@postgresql_only
@pytest.mark.parametrize("form", FORMS)
def test_one_name_sent_in_two_forms_at_once_creates_once_and_never_500(world, alice, form):
    url, data, model = _forms(world)[form]
    before = model.objects.count()
    senders = [(client_for(alice), str(uuid.uuid4())) for _ in range(2)]

    responses = at_once(*[lambda c=c, token=token: c.post(url, data | {"form_token": token}) for c, token in senders])

    # One is created; the other is refused on its form with a message (200 or 400), never a 500.
    statuses = [getattr(response, "status_code", response) for response in responses]
    assert 302 in statuses and set(statuses) <= {200, 302, 400}, statuses
    assert model.objects.count() == before + 1
