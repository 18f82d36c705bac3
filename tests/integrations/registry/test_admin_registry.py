"""Staff add and change applications, and add, change and delete application versions, in the
admin through the registry's actions: each has its audit row with the staff member as actor, and a
version's change recomputes the tiers of the application's integrations, as in the portal. A
provider's company URL changed on the organization's admin page recomputes them too."""

import datetime

import pytest

from integrations.models import Application, ApplicationVersion, Tier
from integrations.tiers import engine as tiers
from portal.models import AuditEvent, Organization
from tests.admin_forms import admin_url, delete_selected, form_data
from tests.conftest import client_for
from tests.integrations import tier_world as world

pytestmark = pytest.mark.django_db


def event(kind: str) -> tuple:
    found = AuditEvent.objects.get(kind=kind)
    return found.actor, found.organization, found.target_label, found.from_state, found.to_state


def save(client, obj, **changes):
    url = admin_url(type(obj), "change", obj.pk)
    return client.post(url, {**form_data(client.get(url)), **changes})


@pytest.fixture
def at_compatible(northwind):
    """Magento (by Adobe) with one version, and Northwind's integration of it at Compatible."""
    application, versions = world.magento_with_versions(labels=["Open Source 2.4.x"])
    integration, _ = world.compatible_integration(northwind, application, versions)
    assert tiers.recompute(integration, cause="setup") == Tier.COMPATIBLE
    return integration


def unseen_change(integration) -> None:
    """A change the tier engine has not seen yet, so the next recompute records a TierChange."""
    provider = integration.application.provider
    provider.logo = ""
    provider.save(update_fields=["logo"])


def last_cause(integration) -> str:
    integration.refresh_from_db()
    return integration.tier_changes.first().cause


# --- Applications ---------------------------------------------------------------------------


def test_staff_add_an_application_through_the_action(sam, provider):
    client = client_for(sam)
    data = form_data(client.get(admin_url(Application, "add")))
    data |= {"provider": provider.pk, "name": "Magento", "category": "ecommerce", "website": "https://magento.example"}
    response = client.post(admin_url(Application, "add"), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.name, application.slug, application.is_published) == ("Magento", "magento", False)
    assert event("application.created") == (sam, provider, "Magento", "", "draft")


def test_staff_change_an_application_through_the_action(sam, magento, provider):
    magento.is_published = False
    magento.save(update_fields=["is_published"])
    response = save(client_for(sam), magento, name="Magento Open Source", is_published="on")
    assert response.status_code == 302
    magento.refresh_from_db()
    assert (magento.name, magento.is_published) == ("Magento Open Source", True)
    assert event("application.updated") == (sam, provider, "Magento Open Source", "draft", "published")


def test_an_application_keeps_its_provider_and_slug(sam, magento, other_provider):
    save(client_for(sam), magento, provider=other_provider.pk, slug="moved")
    magento.refresh_from_db()
    assert (magento.provider.name, magento.slug) == ("Northwind Integrations", "magento")


def test_an_application_is_not_deleted_in_the_admin_nor_its_versions_on_its_page(sam, magento, magento_versions):
    client = client_for(sam)
    assert client.post(admin_url(Application, "delete", magento.pk), {"post": "yes"}).status_code == 403
    page = client.get(admin_url(Application, "change", magento.pk))
    assert "-DELETE" not in page.content.decode()
    data = form_data(page)
    version = magento_versions["Open Source 2.4.x"]
    index = next(key for key, value in data.items() if key.endswith("-id") and value == str(version.pk))
    client.post(admin_url(Application, "change", magento.pk), {**data, index.replace("-id", "-DELETE"): "on"})
    assert ApplicationVersion.objects.filter(pk=version.pk).exists()


# --- Application versions -----------------------------------------------------------------------


def test_staff_add_a_version_and_the_tiers_are_recomputed(sam, at_compatible):
    application = at_compatible.application
    unseen_change(at_compatible)
    data = {"application": application.pk, "label": "Open Source 2.5.x", "release_date": "2025-10-14"}
    response = client_for(sam).post(admin_url(ApplicationVersion, "add"), data)
    assert response.status_code == 302
    assert application.versions.filter(label="Open Source 2.5.x").exists()
    assert event("application_version.added") == (sam, application.provider, "Open Source 2.5.x", "", "2025-10-14")
    assert last_cause(at_compatible) == "Magento Open Source 2.5.x added"


def test_staff_change_a_version_and_the_tiers_are_recomputed(sam, at_compatible):
    version = at_compatible.application.versions.get()
    unseen_change(at_compatible)
    response = save(client_for(sam), version, label="Open Source 2.4.8", release_date="2025-04-08")
    assert response.status_code == 302
    version.refresh_from_db()
    assert (version.label, version.release_date) == ("Open Source 2.4.8", datetime.date(2025, 4, 8))
    actor, _, target, before, after = event("application_version.updated")
    assert (actor, target, after) == (sam, "Open Source 2.4.8", "Open Source 2.4.8 2025-04-08")
    assert last_cause(at_compatible) == "Magento Open Source 2.4.8 edited"


def test_staff_delete_a_version_and_the_tiers_are_recomputed(sam, at_compatible):
    version = at_compatible.application.versions.get()
    response = client_for(sam).post(admin_url(ApplicationVersion, "delete", version.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not ApplicationVersion.objects.filter(pk=version.pk).exists()
    assert event("application_version.removed")[:3] == (sam, at_compatible.application.provider, "Open Source 2.4.x")
    assert last_cause(at_compatible) == "Magento Open Source 2.4.x removed"
    assert at_compatible.tier == Tier.NONE, "the integration supports no version any more"


def test_delete_selected_removes_versions_through_the_action(sam, at_compatible):
    version = at_compatible.application.versions.get()
    response = delete_selected(client_for(sam), ApplicationVersion, [version])
    assert "Deleted 1 application version." in response.content.decode()
    assert AuditEvent.objects.filter(kind="application_version.removed", actor=sam, target_id=version.pk).count() == 1
    assert last_cause(at_compatible) == "Magento Open Source 2.4.x removed"


def test_a_version_stays_with_its_application(sam, magento, magento_versions, draft):
    version = magento_versions["Open Source 2.4.x"]
    save(client_for(sam), version, application=draft.pk)
    version.refresh_from_db()
    assert version.application == magento


# --- A provider's company URL, on the organization's page ---------------------------------------


def test_a_providers_website_removed_in_the_admin_drops_its_integrations_tier(sam, at_compatible):
    provider = at_compatible.application.provider
    response = save(client_for(sam), provider, website="")
    assert response.status_code == 302
    at_compatible.refresh_from_db()
    assert at_compatible.tier == Tier.NONE
    assert last_cause(at_compatible) == "Adobe's provider profile changed"
    assert AuditEvent.objects.filter(kind="organization.updated", actor=sam, organization=provider).exists()
    assert Organization.objects.get(pk=provider.pk).website == ""
