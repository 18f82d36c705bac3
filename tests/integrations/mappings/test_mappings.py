"""Data model links, translation tables and the template mapping editor: every row kind saved and
refused, required fields still unmapped, clone and reverse clone, optimistic locking, tenancy."""

import pytest
from django.urls import reverse

from integrations.mappings import objects as object_services
from integrations.mappings import services as mapping_services
from integrations.mappings import tables as table_services
from integrations.mappings.services import RowValues
from integrations.models import (
    Direction,
    ForeignDataObject,
    ForeignObjectLink,
    MappingCollection,
    ObjectState,
    ScopeLink,
    TemplateMapping,
    TemplateMappingRow,
    TranslationTable,
    WebhookScope,
)
from portal.models import AuditEvent
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(northwind):
    return IntegrationFactory(
        owner=northwind, name="Magento by Northwind", slug="magento-by-northwind", application__name="Magento"
    )


@pytest.fixture
def version(integration):
    return IntegrationVersionFactory(integration=integration, number="1.0.0")


@pytest.fixture
def customer():
    return MappingCollection.objects.get(key="customer")


@pytest.fixture
def countries(integration, alice):
    return table_services.save_translation_table(
        integration, acting_user=alice, table=None, name="Countries", rows=[("USA", "US"), ("France", "FR")]
    )


@pytest.fixture
def mapping(version, customer, alice):
    return template_mapping(version, alice, "Magento Customer ADD TO IPAAS")


def add_row(mapping, user, **values):
    return mapping_services.add_mapping_row(mapping, acting_user=user, values=RowValues(**values))


def urls(mapping, row=None) -> dict:
    args = [mapping.version.integration.slug, mapping.version.public_id, mapping.public_id]
    result = {
        "detail": reverse("mapping_collection_detail", args=args),
        "create_row": reverse("mapping_row_create", args=args),
        "clone": reverse("mapping_collection_clone", args=args),
    }
    if row is not None:
        result["update"] = reverse("mapping_row_update", args=[*args, row.public_id])
        result["delete"] = reverse("mapping_row_delete", args=[*args, row.public_id])
    return result


def row_post(prefix, **values) -> dict:
    return {f"{prefix}-{key}": value for key, value in values.items()}


# --- Links ---------------------------------------------------------------------------------


def test_an_accepted_object_is_linked_with_methods_per_direction(client, alice, integration, customer):
    obj = ForeignDataObject.objects.create(
        integration=integration, key="customers", name="Customers", state=ObjectState.ACCEPTED
    )
    url = reverse("foreign_object_link", args=[integration.slug, obj.public_id])
    prefix = f"object-{obj.public_id}"
    data = {f"{prefix}-collection": customer.pk, f"{prefix}-to_ipaas_methods": ["GET"]}
    data[f"{prefix}-from_ipaas_methods"] = ["POST", "PUT"]
    response = client_for(alice).post(url, data)
    assert response.status_code == 302
    link = ForeignObjectLink.objects.get(foreign_object=obj)
    assert (link.collection, link.to_ipaas_methods, link.from_ipaas_methods) == (customer, ["GET"], ["POST", "PUT"])
    assert AuditEvent.objects.filter(kind="foreign_object.linked").exists()


def test_a_link_needs_the_methods_of_at_least_one_direction(client, alice, integration, customer):
    obj = ForeignDataObject.objects.create(integration=integration, key="c", name="C", state=ObjectState.ACCEPTED)
    url = reverse("foreign_object_link", args=[integration.slug, obj.public_id])
    response = client_for(alice).post(url, {f"object-{obj.public_id}-collection": customer.pk})
    assert response.status_code == 400
    assert "Tick the methods of at least one direction" in response.content.decode()
    assert not ForeignObjectLink.objects.exists()


def test_a_proposed_object_cannot_be_linked(alice, integration, customer):
    obj = ForeignDataObject.objects.create(integration=integration, key="c", name="C")
    with pytest.raises(mapping_services.ActionRefused, match="Accept C"):
        mapping_services.link_foreign_object(
            obj, acting_user=alice, collection=customer, to_ipaas_methods=["GET"], from_ipaas_methods=[]
        )


def test_the_links_page_lists_accepted_objects_and_scopes_only(alice, integration):
    ForeignDataObject.objects.create(integration=integration, key="a", name="Accepted one", state=ObjectState.ACCEPTED)
    ForeignDataObject.objects.create(integration=integration, key="p", name="Proposed one")
    WebhookScope.objects.create(integration=integration, name="customer/created")
    page = client_for(alice).get(reverse("integration_collections", args=[integration.slug])).content.decode()
    assert "Accepted one" in page and "Proposed one" not in page and "customer/created" in page


def test_a_scope_is_linked_to_a_collection_and_direction(alice, integration, customer):
    scope = WebhookScope.objects.create(integration=integration, name="customer/created")
    url = reverse("scope_link", args=[integration.slug, scope.pk])
    data = {f"scope-{scope.pk}-collection": customer.pk, f"scope-{scope.pk}-direction": "to_ipaas"}
    assert client_for(alice).post(url, data).status_code == 302
    assert ScopeLink.objects.get(scope=scope).direction == Direction.TO_IPAAS


def link_data(obj, collection, to_ipaas=(), from_ipaas=()) -> dict:
    prefix = f"object-{obj.public_id}"
    return {
        f"{prefix}-collection": collection.pk,
        f"{prefix}-to_ipaas_methods": list(to_ipaas),
        f"{prefix}-from_ipaas_methods": list(from_ipaas),
    }


def test_an_imported_object_is_refused_a_method_its_document_does_not_have(alice, integration, customer):
    obj = ForeignDataObject.objects.create(
        integration=integration,
        key="customers",
        name="Customers",
        state=ObjectState.ACCEPTED,
        paths=[{"path": "/customers", "methods": ["GET", "POST"]}],
    )
    url = reverse("foreign_object_link", args=[integration.slug, obj.public_id])
    response = client_for(alice).post(url, link_data(obj, customer, ["GET"], ["POST", "PATCH"]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Customers has no such method in the OpenAPI document: untick PATCH From iPaaS." in page
    assert "Its paths have GET and POST only." in page
    assert not ForeignObjectLink.objects.exists()
    assert client_for(alice).post(url, link_data(obj, customer, ["GET"], ["POST"])).status_code == 302


def test_a_declared_object_whose_endpoints_name_methods_is_held_to_them(alice, integration, customer):
    with pytest.raises(mapping_services.ActionRefused, match="no such method in its endpoints: untick DELETE To iPaaS"):
        object_services.declare_foreign_object(
            integration,
            acting_user=alice,
            name="Loyalty",
            paths=[{"path": "/loyalty", "methods": ["GET"]}],
            collection=customer,
            to_ipaas_methods=["GET", "DELETE"],
            from_ipaas_methods=[],
        )
    assert not ForeignDataObject.objects.exists()


def test_a_scope_is_refused_a_direction_no_object_of_its_collection_supports(alice, integration, customer):
    obj = ForeignDataObject.objects.create(
        integration=integration, key="c", name="Customers", state=ObjectState.ACCEPTED
    )
    mapping_services.link_foreign_object(
        obj, acting_user=alice, collection=customer, to_ipaas_methods=[], from_ipaas_methods=["POST"]
    )
    scope = WebhookScope.objects.create(integration=integration, name="customer/created")
    url = reverse("scope_link", args=[integration.slug, scope.pk])
    data = {f"scope-{scope.pk}-collection": customer.pk, f"scope-{scope.pk}-direction": "to_ipaas"}
    response = client_for(alice).post(url, data)
    assert response.status_code == 400
    assert (
        "customer/created cannot be linked to Customer To iPaaS: no data object of Customer supports To iPaaS "
        "(Customers: From iPaaS)" in response.content.decode()
    )
    assert not ScopeLink.objects.exists()
    data[f"scope-{scope.pk}-direction"] = "from_ipaas"
    assert client_for(alice).post(url, data).status_code == 302
    assert ScopeLink.objects.get(scope=scope).direction == Direction.FROM_IPAAS


def test_another_org_cannot_reach_the_links_page(bob, integration):
    assert client_for(bob).get(reverse("integration_collections", args=[integration.slug])).status_code == 404


# --- Translation tables --------------------------------------------------------------------


def test_a_translation_table_is_saved_from_lines(alice, integration):
    url = reverse("translation_table_list", args=[integration.slug])
    response = client_for(alice).post(url, {"name": "Statuses", "entries": "open = O\nclosed=C = x\n\n"})
    assert response.status_code == 302
    assert TranslationTable.objects.get(name="Statuses").as_dict() == {"open": "O", "closed": "C = x"}


def test_a_translation_table_with_duplicate_keys_is_refused_with_the_key(alice, integration):
    url = reverse("translation_table_list", args=[integration.slug])
    response = client_for(alice).post(url, {"name": "Statuses", "entries": "open = O\nopen = P"})
    assert response.status_code == 400
    assert "duplicate values to translate: &#x27;open&#x27;" in response.content.decode()
    assert not TranslationTable.objects.exists()


def test_a_second_table_with_the_same_name_is_refused(alice, integration, countries):
    url = reverse("translation_table_list", args=[integration.slug])
    response = client_for(alice).post(url, {"name": "countries", "entries": "a = b"})
    assert response.status_code == 400
    assert "already has a translation table named" in response.content.decode()


def test_a_table_a_formula_names_cannot_be_renamed_and_the_page_says_where(alice, mapping, countries):
    add_row(mapping, alice, target="Country", kind="formula", formula='lookup("Countries", country, "")')
    url = reverse("translation_table_edit", args=[mapping.version.integration.slug, countries.public_id])

    response = client_for(alice).post(url, {"name": "Nations", "entries": "USA = US"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Countries keeps its name while rows and formulas use it by name" in html
    assert "Magento Customer ADD TO IPAAS (1.0.0): formula of row Country" in html
    countries.refresh_from_db()
    assert (countries.name, countries.as_dict()) == ("Countries", {"USA": "US", "France": "FR"})


def test_changing_a_tables_entries_changes_the_mappings_that_use_it_so_their_tests_run_again(
    alice, mapping, countries, version, customer
):
    add_row(mapping, alice, target="Country", kind="translation", source="country", table=countries)
    unrelated = template_mapping(version, alice, "Magento Customer MODIFY TO IPAAS", sync_type="modify")
    before = {m.pk: m.revision for m in TemplateMapping.objects.all()}

    table_services.save_translation_table(
        mapping.version.integration, acting_user=alice, table=countries, name="Countries", rows=[("USA", "US")]
    )

    after = {m.pk: m.revision for m in TemplateMapping.objects.all()}
    assert after[mapping.pk] == before[mapping.pk] + 1
    assert after[unrelated.pk] == before[unrelated.pk]


def test_saving_a_tables_notes_alone_changes_no_mapping(alice, mapping, countries):
    add_row(mapping, alice, target="Country", kind="translation", source="country", table=countries)
    mapping.refresh_from_db()

    table_services.save_translation_table(
        mapping.version.integration,
        acting_user=alice,
        table=countries,
        name="Countries",
        rows=list(countries.entries),
        notes="ISO 3166 codes.",
    )

    assert TemplateMapping.objects.get(pk=mapping.pk).revision == mapping.revision


# --- Template mappings ---------------------------------------------------------------------


def test_the_name_is_proposed_from_the_choices(alice, version, customer):
    url = reverse("mapping_collection_create", args=[version.integration.slug, version.public_id])
    data = {"collection": customer.pk, "direction": "from_ipaas", "sync_type": "modify", "collision_handling": "merge"}
    assert client_for(alice).post(url, data).status_code == 302
    assert TemplateMapping.objects.get().name == "Magento Customer MODIFY FROM IPAAS"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Customers", "Name it “[APPLICATION] [DATA MODEL]"),
        ("Magento Customer DELETE TO IPAAS", "The name says DELETE but the sync type is ADD."),
        ("Magento Customer ADD FROM IPAAS", "The name says FROM IPAAS but the direction is TO IPAAS."),
    ],
)
def test_a_name_off_the_convention_is_refused(alice, version, customer, name, message):
    url = reverse("mapping_collection_create", args=[version.integration.slug, version.public_id])
    data = {"name": name, "collection": customer.pk, "direction": "to_ipaas", "sync_type": "add"}
    response = client_for(alice).post(data=data | {"collision_handling": "skip"}, path=url)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TemplateMapping.objects.exists()


def test_a_bad_filter_formula_is_refused_next_to_its_field(alice, version, customer):
    url = reverse("mapping_collection_create", args=[version.integration.slug, version.public_id])
    data = {"collection": customer.pk, "direction": "to_ipaas", "sync_type": "add", "collision_handling": "skip"}
    response = client_for(alice).post(url, data | {"mapping_filter": "Email.__class__", "error_filter": '"a" * 10**9'})
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count('class="errorlist') >= 2
    assert not TemplateMapping.objects.exists()


def test_editing_the_mapping_counts_a_revision(alice, mapping):
    url = reverse(
        "mapping_collection_edit", args=[mapping.version.integration.slug, mapping.version.public_id, mapping.public_id]
    )
    data = {
        "name": mapping.name,
        "collection": mapping.collection_id,
        "direction": "to_ipaas",
        "sync_type": "add",
        "collision_handling": "overwrite",
        "notes": "Customers from the storefront.",
        "revision": mapping.revision,
    }
    assert client_for(alice).post(url, data).status_code == 302
    mapping.refresh_from_db()
    assert (mapping.collision_handling, mapping.revision) == ("overwrite", 2)


# --- Rows ----------------------------------------------------------------------------------

ROWS = {
    "field": {"target": "Email", "kind": "field", "source": "email"},
    "formula": {"target": "Id", "kind": "formula", "formula": '"WEB" + to_text(entity_id)'},
    "static": {"target": "IsActive", "kind": "static", "value": "true"},
    "translation": {"target": "Category", "kind": "translation", "source": "group", "default": "Retail"},
}


@pytest.mark.parametrize("kind", list(ROWS))
def test_every_row_kind_is_saved(alice, mapping, countries, kind):
    data = ROWS[kind] | ({"table": countries.pk} if kind == "translation" else {})
    response = client_for(alice).post(urls(mapping)["create_row"], row_post("new", **data))
    assert response.status_code == 302, response.content.decode()[:2000]
    row = TemplateMappingRow.objects.get(mapping=mapping)
    assert (row.target, row.kind) == (data["target"], kind)
    mapping.refresh_from_db()
    assert mapping.revision == 2
    assert AuditEvent.objects.filter(kind="mapping_row.added").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"target": "Id", "kind": "formula", "formula": "upper(Name"}, "line 1"),
        ({"target": "Id", "kind": "formula", "formula": "().__class__"}, "_"),
        ({"target": "Id", "kind": "formula", "formula": 'lookup("Nope", Country, "")'}, "no translation table named"),
        ({"target": "Id", "kind": "field", "source": ""}, "Name the source field"),
        ({"target": "Country", "kind": "translation", "source": "c"}, "Choose the translation table"),
        ({"target": "Address..City", "kind": "static", "value": "x"}, "Write the target as a field name"),
    ],
)
def test_a_bad_row_is_refused_with_a_message(alice, mapping, countries, data, message):
    response = client_for(alice).post(urls(mapping)["create_row"], row_post("new", **data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TemplateMappingRow.objects.exists()


def test_another_integrations_table_is_not_a_choice(alice, bob, mapping, bluebird):
    theirs = table_services.save_translation_table(
        IntegrationFactory(owner=bluebird), acting_user=bob, table=None, name="Countries", rows=[("a", "b")]
    )
    data = {"target": "Country", "kind": "translation", "source": "c", "table": theirs.pk}
    response = client_for(alice).post(urls(mapping)["create_row"], row_post("new", **data))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_second_row_for_one_target_is_refused(alice, mapping):
    add_row(mapping, alice, target="Email", kind="field", source="email")
    response = client_for(alice).post(urls(mapping)["create_row"], row_post("new", **ROWS["field"]))
    assert response.status_code == 400
    assert "Another row already maps Email" in response.content.decode()


def test_the_editor_lists_the_required_fields_still_unmapped(alice, mapping):
    add_row(mapping, alice, target="Email", kind="field", source="email")
    add_row(mapping, alice, target="Id", kind="formula", formula='"WEB" + sku')
    page = client_for(alice).get(urls(mapping)["detail"]).content.decode()
    section = page.split('id="required-heading"')[1].split("</section>")[0]
    assert "<code>FirstName</code>" in section and "<code>LastName</code>" in section
    assert "<code>Email</code>" not in section and "<code>Id</code>" not in section
    assert "<code>Phone</code>" not in section  # not required


def test_from_ipaas_a_required_field_counts_when_a_row_reads_it(alice, mapping):
    mapping.direction = Direction.FROM_IPAAS
    rows = [
        TemplateMappingRow(target="email", kind="field", source="Email"),
        TemplateMappingRow(target="name", kind="formula", formula="FirstName + ' ' + LastName"),
    ]
    unmapped = mapping_services.unmapped_required_fields(mapping, rows, mapping.collection.fields.all())
    assert [field.name for field in unmapped] == ["Id"]


def test_the_editor_answers_in_constant_queries(alice, mapping, countries, django_assert_max_num_queries):
    client = client_for(alice)
    add_row(mapping, alice, target="Email", kind="field", source="email")
    with django_assert_max_num_queries(30) as few:
        client.get(urls(mapping)["detail"])
    for n in range(12):
        add_row(mapping, alice, target=f"Extra{n}", kind="translation", source="c", table=countries, default="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(urls(mapping)["detail"]).status_code == 200


# --- Optimistic locking --------------------------------------------------------------------


def test_two_people_saving_one_row_the_second_gets_a_conflict_and_the_first_is_kept(alice, ivy, mapping):
    row = add_row(mapping, alice, target="Email", kind="field", source="email")
    prefix = f"row-{row.public_id}"
    loaded = row.revision  # both load the row at this revision
    first = client_for(alice).post(
        urls(mapping, row)["update"], row_post(prefix, target="Email", kind="field", source="mail", revision=loaded)
    )
    assert first.status_code == 302
    second = client_for(ivy).post(
        urls(mapping, row)["update"],
        row_post(prefix, target="Email", kind="field", source="e_mail", revision=loaded),
        HTTP_HX_REQUEST="true",
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else changed this row" in page
    assert "<code>mail</code>" in page  # their version
    assert 'value="e_mail"' in page  # and the second person's own values, not lost
    assert f'value="{loaded + 1}"' in page  # ready to save over theirs knowingly
    row.refresh_from_db()
    assert (row.source, row.revision) == ("mail", loaded + 1)


def test_saving_again_after_a_conflict_puts_the_values_over_theirs(alice, ivy, mapping):
    row = add_row(mapping, alice, target="Email", kind="field", source="email")
    mapping_services.update_mapping_row(
        row, acting_user=alice, expected_revision=1, values=RowValues(target="Email", kind="field", source="mail")
    )
    data = row_post(f"row-{row.public_id}", target="Email", kind="field", source="e_mail", revision=2)
    response = client_for(ivy).post(urls(mapping, row)["update"], data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "is saved" in response.content.decode()
    row.refresh_from_db()
    assert (row.source, row.revision) == ("e_mail", 3)


def test_a_conflict_without_htmx_shows_the_whole_editor_with_409(alice, mapping):
    row = add_row(mapping, alice, target="Email", kind="field", source="email")
    mapping_services.update_mapping_row(
        row, acting_user=alice, expected_revision=1, values=RowValues(target="Email", kind="field", source="mail")
    )
    data = row_post(f"row-{row.public_id}", target="Email", kind="field", source="x", revision=1)
    response = client_for(alice).post(urls(mapping, row)["update"], data)
    assert response.status_code == 409
    assert "Required fields" in response.content.decode()


def test_deleting_a_row_changed_since_it_was_loaded_is_a_conflict(alice, mapping):
    row = add_row(mapping, alice, target="Email", kind="field", source="email")
    mapping_services.update_mapping_row(
        row, acting_user=alice, expected_revision=1, values=RowValues(target="Email", kind="field", source="mail")
    )
    response = client_for(alice).post(urls(mapping, row)["delete"], {"revision": 1}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert TemplateMappingRow.objects.filter(pk=row.pk).exists()
    response = client_for(alice).post(urls(mapping, row)["delete"], {"revision": 2}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not TemplateMappingRow.objects.filter(pk=row.pk).exists()


def test_saving_a_row_someone_deleted_keeps_the_values_on_the_page(alice, mapping):
    row = add_row(mapping, alice, target="Email", kind="field", source="email")
    update_url = urls(mapping, row)["update"]
    mapping_services.delete_mapping_row(row, acting_user=alice, expected_revision=1)
    data = row_post(f"row-{row.public_id}", target="Email", kind="field", source="my_source", revision=1)
    response = client_for(alice).post(update_url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 404  # the row is gone: its URL no longer answers


# --- Clones --------------------------------------------------------------------------------


def test_a_clone_keeps_direction_rows_and_filters(alice, mapping, countries):
    add_row(mapping, alice, target="Email", kind="field", source="email")
    mapping.mapping_filter = "is_active"
    mapping.save()
    response = client_for(alice).post(urls(mapping)["clone"])
    assert response.status_code == 302
    clone = TemplateMapping.objects.exclude(pk=mapping.pk).get()
    assert clone.name == "Magento Customer Copy ADD TO IPAAS"
    assert (clone.direction, clone.mapping_filter) == (Direction.TO_IPAAS, "is_active")
    assert list(clone.rows.values_list("target", "source")) == [("Email", "email")]


def test_a_reverse_clone_swaps_field_rows_and_keeps_the_others_with_a_note(alice, mapping, countries):
    add_row(mapping, alice, target="Email", kind="field", source="email")
    add_row(mapping, alice, target="Country", kind="translation", source="country", table=countries)
    add_row(mapping, alice, target="Id", kind="formula", formula='"WEB" + sku')
    add_row(mapping, alice, target="IsActive", kind="static", value="true")
    response = client_for(alice).post(urls(mapping)["clone"], {"reverse": "on"})
    assert response.status_code == 302
    clone = TemplateMapping.objects.exclude(pk=mapping.pk).get()
    assert (clone.name, clone.direction) == ("Magento Customer ADD FROM IPAAS", Direction.FROM_IPAAS)
    rows = {row.kind: row for row in clone.rows.all()}
    assert (rows["field"].target, rows["field"].source) == ("email", "Email")
    assert (rows["translation"].target, rows["translation"].source) == ("country", "Country")
    assert "check that the table translates this way" in rows["translation"].notes
    assert (rows["formula"].target, rows["formula"].formula) == ("Id", '"WEB" + sku')
    assert "review it for the opposite direction" in rows["static"].notes
    assert clone.notes.startswith("Reverse clone of Magento Customer ADD TO IPAAS.")


def test_a_reverse_clone_leaves_out_a_row_whose_swapped_target_is_taken(alice, mapping):
    add_row(mapping, alice, target="Email", kind="field", source="email")
    add_row(mapping, alice, target="Phone", kind="field", source="email")
    clone = mapping_services.clone_template_mapping(mapping, acting_user=alice, reverse=True)
    assert list(clone.rows.values_list("target", flat=True)) == ["email"]
    assert "Phone (field to field)" in clone.notes


# --- Tenancy -------------------------------------------------------------------------------


def test_another_org_gets_404_for_the_editor_and_its_rows(bob, alice, mapping):
    row = add_row(mapping, alice, target="Email", kind="field", source="email")
    client = client_for(bob)
    assert client.get(urls(mapping)["detail"]).status_code == 404
    data = row_post(f"row-{row.public_id}", target="Email", kind="field", source="x", revision=1)
    assert client.post(urls(mapping, row)["update"], data).status_code == 404
    assert client.post(urls(mapping, row)["delete"], {"revision": 1}).status_code == 404
    row.refresh_from_db()
    assert row.source == "email"


def test_a_mapping_of_another_version_is_not_found_under_this_one(alice, mapping, integration):
    other = IntegrationVersionFactory(integration=integration, number="2.0.0")
    url = reverse("mapping_collection_detail", args=[integration.slug, other.public_id, mapping.public_id])
    assert client_for(alice).get(url).status_code == 404


def test_the_workspace_links_to_the_mappings(alice, mapping):
    integration = mapping.version.integration
    page = client_for(alice).get(reverse("integration_detail", args=[integration.slug])).content.decode()
    assert reverse("mapping_collection_list", args=[integration.slug, mapping.version.public_id]) in page
    assert reverse("integration_collections", args=[integration.slug]) in page


def test_two_people_editing_one_table_the_second_save_is_a_conflict_and_theirs_is_kept(
    alice, ivy, integration, countries
):
    url = reverse("translation_table_edit", args=[integration.slug, countries.public_id])
    loaded = client_for(ivy).get(url).context["form"].initial["loaded_version"]
    assert client_for(alice).post(url, {"name": "Countries", "entries": "USA = US\nSpain = ES"}).status_code == 302

    response = client_for(ivy).post(url, {"name": "Countries", "entries": "USA = US", "loaded_version": loaded})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this translation table while you were editing it" in html
    assert "Theirs now reads: USA = US; Spain = ES" in html
    assert TranslationTable.objects.get(pk=countries.pk).as_dict() == {"USA": "US", "Spain": "ES"}

    again = client_for(ivy).post(url, response.context["form"].data)

    assert again.status_code == 302
    assert TranslationTable.objects.get(pk=countries.pk).as_dict() == {"USA": "US"}
