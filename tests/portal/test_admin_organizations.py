"""Staff change an organization's name, kinds and website in the admin through
update_organization_profile (its audit row, its checks); organizations are neither added nor
deleted there, and the public profile stays its owners' to write."""

import pytest

from portal.models import AuditEvent, Organization
from tests.admin_forms import admin_url, form_data
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def save(client, organization, **changes):
    url = admin_url(Organization, "change", organization.pk)
    data = {**form_data(client.get(url)), **changes}
    return client.post(url, {key: value for key, value in data.items() if value is not None})


def test_staff_rename_an_organization_and_change_its_kinds_and_it_is_recorded(sam, alice, northwind):
    response = save(client_for(sam), northwind, name="Northwind Partners", is_provider="on")
    assert response.status_code == 302
    northwind.refresh_from_db()
    assert (northwind.name, northwind.kinds) == ("Northwind Partners", ["provider", "integrator"])
    event = AuditEvent.objects.get(kind="organization.updated")
    assert (event.actor, event.organization, event.from_state, event.to_state) == (
        sam,
        northwind,
        "Northwind Integrations [integrator]",
        "Northwind Partners [provider, integrator]",
    )


def test_an_organization_keeps_at_least_one_kind_in_the_admin_too(sam, alice, northwind):
    response = save(client_for(sam), northwind, is_integrator=None)
    assert response.status_code == 200
    assert "Choose at least one kind of organization." in response.content.decode()
    northwind.refresh_from_db()
    assert northwind.is_integrator
    assert not AuditEvent.objects.exists()


def test_the_slug_and_the_public_profile_are_not_written_in_the_admin(sam, alice, northwind):
    save(client_for(sam), northwind, slug="taken-over", description="Written by staff.", contact_email="x@example.com")
    northwind.refresh_from_db()
    assert (northwind.slug, northwind.description, northwind.contact_email) == ("northwind", "", "")


def test_organizations_are_neither_added_nor_deleted_in_the_admin(sam, alice, northwind):
    client = client_for(sam)
    assert client.get(admin_url(Organization, "add")).status_code == 403
    assert client.post(admin_url(Organization, "delete", northwind.pk), {"post": "yes"}).status_code == 403
    changelist = client.get(admin_url(Organization, "changelist"))
    assert changelist.status_code == 200 and "delete_selected" not in changelist.content.decode()
    assert Organization.objects.filter(pk=northwind.pk).exists()
