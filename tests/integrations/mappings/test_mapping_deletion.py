"""Deleting a translation table (refused, naming what uses it, while a row or formula does) and a
template mapping (with its rows, tests and results; its children kept without a parent): their
confirmation pages, audit rows, tier recomputation, revision check and tenancy."""

import pytest
from django.urls import reverse

from integrations.mapping_tests import services as mapping_test_services
from integrations.mappings import deletion as mapping_delete_services
from integrations.mappings import services as mapping_services
from integrations.mappings import table_uses
from integrations.mappings import tables as table_services
from integrations.mappings.services import MappingConflict, RowValues
from integrations.models import (
    Direction,
    MappingCollection,
    MappingTest,
    MappingTestResult,
    MappingTestRun,
    Outcome,
    TemplateMapping,
    TemplateMappingRow,
    TranslationTable,
)
from portal.models import AuditEvent
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def countries(version, alice):
    return table_services.save_translation_table(
        version.integration, acting_user=alice, table=None, name="Countries", rows=[("USA", "US")]
    )


def make_mapping(version, user, name="Magento Customer ADD TO IPAAS", key="customer", parent=None):
    return mapping_services.create_template_mapping(
        version,
        acting_user=user,
        name=name,
        collection=MappingCollection.objects.get(key=key),
        parent=parent,
        direction=Direction.TO_IPAAS,
        sync_type="add",
        collision_handling="skip",
        mapping_filter="",
        error_filter="",
        notes="",
    )


@pytest.fixture
def mapping(version, alice):
    return make_mapping(version, alice)


def add_row(mapping, user, **values):
    return mapping_services.add_mapping_row(mapping, acting_user=user, values=RowValues(**values))


def table_urls(table) -> dict:
    args = [table.integration.slug, table.public_id]
    return {name: reverse(f"translation_table_{name}", args=args) for name in ("delete_confirm", "delete", "edit")}


def mapping_urls(mapping) -> dict:
    args = [mapping.version.integration.slug, mapping.version.public_id, mapping.public_id]
    return {name: reverse(f"mapping_collection_{name}", args=args) for name in ("delete_confirm", "delete", "detail")}


@pytest.fixture
def recomputed(monkeypatch):
    causes = []
    monkeypatch.setattr(mapping_delete_services.tiers, "recompute", lambda integration, cause: causes.append(cause))
    return causes


# --- Translation tables --------------------------------------------------------------------


def test_an_unused_table_is_deleted_recorded_and_the_tiers_recomputed(alice, countries, recomputed):
    client = client_for(alice)
    page = client.get(table_urls(countries)["delete_confirm"]).content.decode()
    assert "<h1>Delete the translation table Countries</h1>" in page and "1 entry" in page
    response = client.post(table_urls(countries)["delete"])
    assert response.status_code == 302
    assert not TranslationTable.objects.exists()
    event = AuditEvent.objects.get(kind="translation_table.deleted")
    assert (event.actor, event.target_label, event.within_label) == (alice, "Countries", "Magento by Northwind")
    assert event.target_id == countries.pk  # the table is gone; the event still names which one it was
    assert recomputed == ["template mappings changed"]


def test_a_table_a_row_uses_is_refused_naming_the_mapping_and_row(alice, mapping, countries):
    add_row(mapping, alice, target="Country", kind="translation", source="country", table=countries)
    response = client_for(alice).post(table_urls(countries)["delete"])
    page = response.content.decode()
    assert response.status_code == 409
    assert "still used by Magento Customer ADD TO IPAAS (1.0.0): row Country" in page
    assert mapping_urls(mapping)["detail"] in page  # a link to where it is used
    assert TranslationTable.objects.filter(pk=countries.pk).exists()
    assert not AuditEvent.objects.filter(kind="translation_table.deleted").exists()


def test_a_table_a_formula_names_is_refused_too(alice, mapping, countries):
    add_row(mapping, alice, target="Country", kind="formula", formula='lookup("Countries", country, "")')
    mapping.error_filter = 'lookup("Countries", country, "") == ""'
    mapping.save()
    add_row(mapping, alice, target="Note", kind="formula", formula='"Countries"')  # the name, not a lookup
    uses = [str(use) for use in table_uses.translation_table_uses(countries)]
    assert uses == [
        "Magento Customer ADD TO IPAAS (1.0.0): formula of row Country",
        "Magento Customer ADD TO IPAAS (1.0.0): error filter",
    ]
    with pytest.raises(mapping_services.ActionRefused, match="formula of row Country"):
        mapping_delete_services.delete_translation_table(countries, acting_user=alice)


def test_the_confirmation_page_of_a_table_in_use_offers_no_delete_button(alice, mapping, countries):
    add_row(mapping, alice, target="Country", kind="translation", source="country", table=countries)
    page = client_for(alice).get(table_urls(countries)["delete_confirm"]).content.decode()
    assert "cannot be deleted while template mappings use it" in page
    assert table_urls(countries)["delete"] not in page


def test_a_table_deleted_twice_is_deleted_and_recorded_once(alice, countries):
    assert mapping_delete_services.delete_translation_table(countries, acting_user=alice) is True
    assert mapping_delete_services.delete_translation_table(countries, acting_user=alice) is False
    assert AuditEvent.objects.filter(kind="translation_table.deleted").count() == 1
    assert client_for(alice).post(table_urls(countries)["delete"]).status_code == 404


def test_the_edit_page_links_to_the_deletion(alice, countries):
    page = client_for(alice).get(table_urls(countries)["edit"]).content.decode()
    assert table_urls(countries)["delete_confirm"] in page


def test_another_organization_cannot_delete_a_table(bob, countries):
    client = client_for(bob)
    assert client.get(table_urls(countries)["delete_confirm"]).status_code == 404
    assert client.post(table_urls(countries)["delete"]).status_code == 404
    assert TranslationTable.objects.filter(pk=countries.pk).exists()


# --- Template mappings ---------------------------------------------------------------------


@pytest.fixture
def tested_mapping(mapping, alice, version):
    add_row(mapping, alice, target="Email", kind="field", source="email")
    add_row(mapping, alice, target="Id", kind="static", value="1")
    test = mapping_test_services.create_mapping_test(mapping, acting_user=alice, name="One", sample="{}", expected="{}")
    run = MappingTestRun.objects.create(version=version, total=1)
    MappingTestResult.objects.create(run=run, test=test, outcome=Outcome.PASS, mapping_revision=3)
    mapping.refresh_from_db()
    return mapping


def test_the_confirmation_page_says_what_goes_with_the_mapping(alice, tested_mapping, version):
    child = make_mapping(
        version, alice, name="Magento Address ADD TO IPAAS", key="customer-address", parent=tested_mapping
    )
    response = client_for(alice).get(mapping_urls(tested_mapping)["delete_confirm"])
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Delete Magento Customer ADD TO IPAAS?</h1>" in page
    assert "its 2 rows;" in page and "its 1 mapping test and their 1 result." in page
    assert "They stay, without a parent" in page and child.name in page
    assert f'name="revision" value="{tested_mapping.revision}"' in page


def test_deleting_a_mapping_takes_rows_tests_and_results_and_keeps_children(alice, tested_mapping, version, recomputed):
    child = make_mapping(
        version, alice, name="Magento Address ADD TO IPAAS", key="customer-address", parent=tested_mapping
    )
    recomputed.clear()
    response = client_for(alice).post(mapping_urls(tested_mapping)["delete"], {"revision": tested_mapping.revision})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "mapping_collection_list", args=[version.integration.slug, version.public_id]
    )
    assert not TemplateMapping.objects.filter(pk=tested_mapping.pk).exists()
    assert not TemplateMappingRow.objects.exists()
    assert not MappingTest.objects.exists() and not MappingTestResult.objects.exists()
    child.refresh_from_db()
    assert (child.parent, child.revision) == (None, 2)  # losing its parent counts as a change
    event = AuditEvent.objects.get(kind="template_mapping.deleted")
    assert event.actor == alice
    assert event.comment == "2 rows, 1 mapping test, 1 result; kept without a parent: Magento Address ADD TO IPAAS"
    assert recomputed == ["template mappings changed"]


def test_a_mapping_changed_since_the_confirmation_page_is_not_deleted(alice, ivy, tested_mapping):
    shown = tested_mapping.revision
    add_row(tested_mapping, ivy, target="Phone", kind="field", source="phone")  # meanwhile
    response = client_for(alice).post(mapping_urls(tested_mapping)["delete"], {"revision": shown})
    page = response.content.decode()
    assert response.status_code == 409
    assert "changed since you opened this page" in page
    assert "its 3 rows;" in page  # what goes now
    assert f'name="revision" value="{shown + 1}"' in page
    assert TemplateMapping.objects.filter(pk=tested_mapping.pk).exists()


def test_a_delete_without_a_revision_is_shown_the_confirmation_again(alice, tested_mapping):
    response = client_for(alice).post(mapping_urls(tested_mapping)["delete"], {"revision": "soon"})
    assert response.status_code == 409
    assert TemplateMapping.objects.filter(pk=tested_mapping.pk).exists()


def test_a_mapping_deleted_twice_is_deleted_and_recorded_once(alice, tested_mapping):
    revision = tested_mapping.revision
    assert mapping_delete_services.delete_template_mapping(
        tested_mapping, acting_user=alice, expected_revision=revision
    )
    assert (
        mapping_delete_services.delete_template_mapping(tested_mapping, acting_user=alice, expected_revision=revision)
        is None
    )
    assert AuditEvent.objects.filter(kind="template_mapping.deleted").count() == 1
    assert client_for(alice).post(mapping_urls(tested_mapping)["delete"], {"revision": revision}).status_code == 404


def test_the_editor_links_to_the_deletion(alice, mapping):
    page = client_for(alice).get(mapping_urls(mapping)["detail"]).content.decode()
    assert mapping_urls(mapping)["delete_confirm"] in page


def test_another_organization_cannot_delete_a_mapping(bob, tested_mapping):
    client = client_for(bob)
    assert client.get(mapping_urls(tested_mapping)["delete_confirm"]).status_code == 404
    response = client.post(mapping_urls(tested_mapping)["delete"], {"revision": tested_mapping.revision})
    assert response.status_code == 404
    assert TemplateMapping.objects.filter(pk=tested_mapping.pk).exists()


def test_the_conflict_carries_the_mapping_as_it_is_now(alice, tested_mapping):
    with pytest.raises(MappingConflict) as raised:
        mapping_delete_services.delete_template_mapping(tested_mapping, acting_user=alice, expected_revision=1)
    assert raised.value.current.revision == tested_mapping.revision
