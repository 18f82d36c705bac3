"""Optimistic locking of a template mapping's own fields: the edit form carries the revision it
loaded; a save that finds another one writes nothing and shows the other person's values beside
the person's own, which are kept, ready to be saved over theirs knowingly."""

import pytest
from django.urls import reverse

from integrations.mappings import services as mapping_services
from integrations.mappings.services import MappingConflict, RowValues
from integrations.models import TemplateMapping
from portal.models import AuditEvent
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapping(northwind, alice):
    integration = IntegrationFactory(owner=northwind, name="Magento by Northwind", application__name="Magento")
    version = IntegrationVersionFactory(integration=integration, number="1.0.0")
    return template_mapping(version, alice, "Magento Customer ADD TO IPAAS")


def edit_url(mapping) -> str:
    version = mapping.version
    return reverse("mapping_collection_edit", args=[version.integration.slug, version.public_id, mapping.public_id])


def form_data(mapping, **changes) -> dict:
    data = {
        "name": mapping.name,
        "collection": mapping.collection_id,
        "direction": mapping.direction,
        "sync_type": mapping.sync_type,
        "collision_handling": mapping.collision_handling,
        "notes": mapping.notes,
        "revision": mapping.revision,
    }
    return data | changes


def test_the_edit_form_carries_the_revision_it_loaded(alice, mapping):
    page = client_for(alice).get(edit_url(mapping)).content.decode()
    assert '<input type="hidden" name="revision" value="1"' in page


def test_two_people_editing_the_mapping_the_second_gets_a_conflict_and_keeps_their_input(alice, ivy, mapping):
    loaded = form_data(mapping)  # both open the edit page at revision 1
    first = client_for(alice).post(edit_url(mapping), loaded | {"collision_handling": "overwrite"})
    assert first.status_code == 302

    second = client_for(ivy).post(edit_url(mapping), loaded | {"notes": "Only storefront customers."})
    page = second.content.decode()
    assert second.status_code == 409
    assert "Someone else changed this template mapping" in page
    assert "Their version (revision 2)" in page
    assert "Overwrite the existing record" in page  # their value
    assert "Only storefront customers.</textarea>" in page  # the second person's input, not lost
    assert '<input type="hidden" name="revision" value="2"' in page  # saving again goes over theirs
    mapping.refresh_from_db()
    assert (mapping.collision_handling, mapping.notes, mapping.revision) == ("overwrite", "", 2)


def test_the_conflict_marks_the_fields_that_differ(alice, ivy, mapping):
    loaded = form_data(mapping)
    client_for(alice).post(edit_url(mapping), loaded | {"collision_handling": "overwrite"})
    page = client_for(ivy).post(edit_url(mapping), loaded).content.decode()
    theirs = page.split('id="theirs-heading"')[1].split("</section>")[0]
    assert theirs.count(">differs</span>") == 1
    assert theirs.split(">differs</span>")[0].rsplit("<dt>", 1)[1].startswith("Collision handling")


def test_saving_again_after_a_conflict_puts_the_values_over_theirs(alice, ivy, mapping):
    loaded = form_data(mapping)
    client_for(alice).post(edit_url(mapping), loaded | {"collision_handling": "overwrite"})
    response = client_for(ivy).post(edit_url(mapping), loaded | {"notes": "Mine", "revision": 2})
    assert response.status_code == 302
    mapping.refresh_from_db()
    assert (mapping.collision_handling, mapping.notes, mapping.revision) == ("skip", "Mine", 3)
    assert AuditEvent.objects.filter(kind="template_mapping.updated", comment="revision 2 → 3").exists()


def test_a_row_saved_meanwhile_is_a_conflict_too(alice, ivy, mapping):
    """A mapping's revision counts its rows' changes (the tests' staleness reads it)."""
    loaded = form_data(mapping)
    mapping_services.add_mapping_row(mapping, acting_user=alice, values=RowValues("Email", "field", source="email"))
    assert client_for(ivy).post(edit_url(mapping), loaded | {"notes": "Mine"}).status_code == 409


def test_a_form_without_the_revision_is_refused_with_a_message(alice, mapping):
    data = form_data(mapping, notes="Mine")
    del data["revision"]
    response = client_for(alice).post(edit_url(mapping), data)
    assert response.status_code == 400
    assert "This form lacks the template mapping&#x27;s revision: reload the page." in response.content.decode()
    mapping.refresh_from_db()
    assert mapping.notes == ""


def test_the_action_refuses_another_revision_and_writes_nothing(alice, mapping):
    values = {key: getattr(mapping, key) for key in mapping_services.MAPPING_FIELDS} | {"notes": "Mine"}
    with pytest.raises(MappingConflict) as raised:
        mapping_services.update_template_mapping(mapping, acting_user=alice, expected_revision=7, **values)
    assert raised.value.current.revision == 1
    assert TemplateMapping.objects.get(pk=mapping.pk).notes == ""
