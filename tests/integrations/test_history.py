"""The history pages of applications, their versions, integrations, their versions, template
mappings, mapping tests and associations: the owner's trail about each object and what is
within it, in words, deleted things included, in a constant number of queries; other
organizations get 404, an associated integrator 403."""

import datetime
import json

import pytest
from django.urls import reverse

from integrations.associations import services as association_services
from integrations.mapping_tests import services as mapping_test_services
from integrations.mappings import deletion as mapping_delete_services
from integrations.mappings import services as mapping_services
from integrations.mappings.services import RowValues
from integrations.models import Tier
from integrations.registry import services as registry_services
from integrations.workspace import services as workspace_services
from portal.models import AuditEvent
from portal.services import record
from tests.conftest import client_for
from tests.factories import template_mapping

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(provider, magento, alice):
    integration = workspace_services.create_integration(
        provider, acting_user=alice, application=magento, name="Magento by Northwind"
    )
    integration.tier = Tier.COMPATIBLE  # listed, so other integrators may ask to work on it
    integration.save(update_fields=["tier"])
    return integration


@pytest.fixture
def version(integration, alice):
    return workspace_services.create_integration_version(integration, acting_user=alice, number="1.0.0")


@pytest.fixture
def mapping(version, alice):
    return template_mapping(version, alice, "Magento Customer ADD TO IPAAS")


def add_row(mapping, user, target: str):
    return mapping_services.add_mapping_row(
        mapping, acting_user=user, values=RowValues(target=target, kind="field", source=target.lower())
    )


def make_test(mapping, user):
    return mapping_test_services.create_mapping_test(
        mapping,
        acting_user=user,
        name="New web customer",
        sample=json.dumps({"email": "ada@example.com"}),
        expected=json.dumps({"Email": "ada@example.com"}),
    )


def history(user, name: str, *args) -> str:
    response = client_for(user).get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_a_template_mapping_history_tells_what_was_done_to_it_and_its_rows(version, mapping, alice):
    add_row(mapping, alice, "Email")
    sku = add_row(mapping, alice, "Sku")
    mapping_services.delete_mapping_row(sku, acting_user=alice, expected_revision=sku.revision)
    other = template_mapping(version, alice, "Magento Product ADD TO IPAAS", collection="product")
    add_row(other, alice, "Price")

    page = history(alice, "mapping_collection_history", "magento-by-northwind", version.public_id, mapping.public_id)

    assert "<h1>History of Magento Customer ADD TO IPAAS</h1>" in page
    for sentence in (
        "Alice Integrator created the template mapping Magento Customer ADD TO IPAAS in Magento by Northwind 1.0.0",
        "Alice Integrator added the row Email to Magento Customer ADD TO IPAAS",
        "Alice Integrator deleted the row Sku from Magento Customer ADD TO IPAAS",
    ):
        assert sentence in page
    assert "Price" not in page and "Product" not in page


def test_a_mapping_row_event_points_at_the_row_within_its_mapping(mapping, alice):
    row = add_row(mapping, alice, "Email")
    event = AuditEvent.objects.get(kind="mapping_row.added")
    assert (event.target, event.within, event.organization) == (row, mapping, mapping.version.integration.owner)


def test_a_deleted_template_mapping_stays_in_its_version_history(version, mapping, alice):
    mapping_delete_services.delete_template_mapping(mapping, acting_user=alice, expected_revision=mapping.revision)

    page = history(alice, "integration_version_history", "magento-by-northwind", version.public_id)

    event = AuditEvent.objects.get(kind="template_mapping.deleted")
    assert (event.target, event.target_id) == (None, mapping.pk)
    assert (
        "Alice Integrator deleted the template mapping Magento Customer ADD TO IPAAS from Magento by Northwind 1.0.0"
        in page
    )


def test_an_integration_history_shows_its_versions_and_its_associations(integration, version, alice, bob, bluebird):
    association = association_services.request_association(integration, organization=bluebird, acting_user=bob)
    association_services.decide_association(association, acting_user=alice, decision="accept")

    page = history(alice, "integration_history", "magento-by-northwind")

    for sentence in (
        "Alice Integrator created the integration Magento by Northwind",
        "Alice Integrator created version 1.0.0 of Magento by Northwind",
        "Bob Other asked for Bluebird Connect to work on Magento by Northwind",
        "Alice Integrator accepted Bluebird Connect to work on Magento by Northwind",
    ):
        assert sentence in page


def test_an_association_history_shows_only_that_association(integration, alice, bob, bluebird, misty, summit):
    summit.is_integrator = True
    summit.save(update_fields=["is_integrator"])
    asked = association_services.request_association(integration, organization=bluebird, acting_user=bob)
    association_services.request_association(integration, organization=summit, acting_user=misty)
    association_services.decide_association(asked, acting_user=alice, decision="decline")

    page = history(alice, "association_history", "magento-by-northwind", asked.public_id)

    assert "Alice Integrator declined the request of Bluebird Connect to work on Magento by Northwind" in page
    assert "Summit" not in page


def test_a_mapping_test_history_tells_its_changes(version, mapping, alice):
    test = make_test(mapping, alice)
    mapping_test_services.update_mapping_test(
        test, acting_user=alice, name="Web customer", sample=json.dumps({"email": "a@b.c"}), expected="{}"
    )

    page = history(
        alice, "mapping_test_history", "magento-by-northwind", version.public_id, mapping.public_id, test.public_id
    )

    assert "Alice Integrator added the mapping test New web customer to Magento Customer ADD TO IPAAS" in page
    assert "Alice Integrator edited the mapping test Web customer of Magento Customer ADD TO IPAAS" in page
    assert "changed: name, sample input record, expected output" in page


def test_application_and_version_histories_tell_the_version_list(magento, alice):
    version = registry_services.add_application_version(
        magento, acting_user=alice, label="Open Source 2.4.x", release_date=datetime.date(2020, 7, 28)
    )
    registry_services.update_application(
        magento,
        acting_user=alice,
        name="Magento",
        website="https://magento.example.com",
        category=magento.category,
        description="",
        is_published=True,
    )

    application_page = history(alice, "application_history", "magento")
    version_page = history(alice, "version_history", "magento", version.public_id)

    assert "Alice Integrator added the version Open Source 2.4.x to Magento" in application_page
    assert "Alice Integrator edited the application Magento" in application_page
    assert "Alice Integrator added the version Open Source 2.4.x to Magento" in version_page
    assert "edited the application" not in version_page


def test_names_in_a_history_are_escaped(provider, magento, alice):
    workspace_services.create_integration(
        provider, acting_user=alice, application=magento, name="<script>alert(1)</script>"
    )
    page = history(alice, "integration_history", "scriptalert1script")
    assert "<script>alert(1)" not in page and "created the integration &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_another_organization_gets_404_and_an_associated_integrator_403(integration, alice, bob, bluebird, carol):
    association = association_services.request_association(integration, organization=bluebird, acting_user=bob)
    association_services.decide_association(association, acting_user=alice, decision="accept")
    url = reverse("integration_history", args=[integration.slug])

    assert client_for(carol).get(url).status_code == 404
    assert client_for(bob).get(url).status_code == 403  # Bluebird works on it, but the trail is Northwind's


@pytest.fixture
def histories(magento, integration, version, mapping, alice, bob, bluebird):
    """Every integrations history page, with the object whose history it shows."""
    application_version = registry_services.add_application_version(
        magento, acting_user=alice, label="2.4", release_date=datetime.date(2020, 7, 28)
    )
    test = make_test(mapping, alice)
    association = association_services.request_association(integration, organization=bluebird, acting_user=bob)
    slug, version_id = integration.slug, version.public_id
    return [
        (magento, reverse("application_history", args=["magento"])),
        (application_version, reverse("version_history", args=["magento", application_version.public_id])),
        (integration, reverse("integration_history", args=[slug])),
        (version, reverse("integration_version_history", args=[slug, version_id])),
        (mapping, reverse("mapping_collection_history", args=[slug, version_id, mapping.public_id])),
        (test, reverse("mapping_test_history", args=[slug, version_id, mapping.public_id, test.public_id])),
        (association, reverse("association_history", args=[slug, association.public_id])),
    ]


def test_every_history_page_answers_in_constant_queries(histories, alice, provider, django_assert_max_num_queries):
    client = client_for(alice)
    for obj, url in histories:
        with django_assert_max_num_queries(10) as few:
            assert client.get(url).status_code == 200
        for number in range(12):
            record(actor=alice, kind="integration.updated", organization=provider, target=obj, comment=f"{number}")
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(url).content.decode()
        assert page.count("Alice Integrator edited the declarations of") == 12, url
