"""The registry's actions: what they refuse, what they record, which files they keep."""

import datetime

import pytest
from django.core.files.storage import default_storage

from integrations.models import Application, ApplicationVersion, Category
from integrations.registry import services
from portal import images
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests import imagefiles
from tests.factories import ApplicationVersionFactory

pytestmark = pytest.mark.django_db

APPLICATION = {
    "name": "Magento",
    "website": "https://business.adobe.com/products/magento/open-source.html",
    "category": Category.ECOMMERCE,
    "description": "Open-source commerce.",
    "is_published": True,
}


def logo(upload=None) -> images.CheckedImage:
    return images.check_image_upload(upload or imagefiles.png_file())


def test_registering_an_application_records_it_and_stores_its_logo(provider, alice):
    application = services.create_application(provider, acting_user=alice, logo=logo(), **APPLICATION)
    assert (application.provider, application.slug, application.is_published) == (provider, "magento", True)
    assert default_storage.exists(application.logo.name) and default_storage.exists(application.logo_small.name)
    event = AuditEvent.objects.get(kind="application.created")
    assert (event.actor, event.organization, event.to_state) == (alice, provider, "published")
    assert event.target == application


def test_two_applications_with_one_name_get_different_slugs(provider, other_provider, alice, bob):
    first = services.create_application(provider, acting_user=alice, **APPLICATION)
    second = services.create_application(other_provider, acting_user=bob, **APPLICATION)
    assert (first.slug, second.slug) == ("magento", "magento-2")


def test_a_provider_cannot_register_the_same_name_twice(provider, alice):
    services.create_application(provider, acting_user=alice, **APPLICATION)
    with pytest.raises(ActionRefused, match="already has an application called “MAGENTO”"):
        services.create_application(provider, acting_user=alice, **{**APPLICATION, "name": "MAGENTO"})


def test_only_a_provider_registers_applications(northwind, alice):
    with pytest.raises(ActionRefused, match="not an application provider"):
        services.create_application(northwind, acting_user=alice, **APPLICATION)


def test_updating_an_application_records_publishing(magento, alice):
    services.update_application(magento, acting_user=alice, **{**APPLICATION, "is_published": False})
    magento.refresh_from_db()
    assert not magento.is_published
    event = AuditEvent.objects.get(kind="application.updated")
    assert (event.from_state, event.to_state) == ("published", "draft")


def test_replacing_an_application_logo_removes_the_old_files_once_committed(
    magento, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_application(magento, acting_user=alice, logo=logo(), **APPLICATION)
    magento.refresh_from_db()
    old = magento.logo_names()
    assert len(old) == 2 and all(default_storage.exists(name) for name in old)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_application(magento, acting_user=alice, logo=logo(imagefiles.webp_file()), **APPLICATION)
    magento.refresh_from_db()
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(name) for name in magento.logo_names())
    assert set(magento.logo_names()).isdisjoint(old)


def test_removing_a_logo_removes_its_files(magento, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_application(magento, acting_user=alice, logo=logo(), **APPLICATION)
    magento.refresh_from_db()
    old = magento.logo_names()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_application(magento, acting_user=alice, remove_logo=True, **APPLICATION)
    magento.refresh_from_db()
    assert not magento.logo and not magento.logo_small
    assert not any(default_storage.exists(name) for name in old)


def test_a_refused_change_leaves_no_logo_files_behind(provider, alice):
    services.create_application(provider, acting_user=alice, **APPLICATION)
    with pytest.raises(ActionRefused):
        services.create_application(provider, acting_user=alice, logo=logo(), **APPLICATION)
    folder = Application.LOGO_FOLDER
    assert not default_storage.exists(folder) or default_storage.listdir(folder) == ([], [])


def test_adding_a_version_records_it(magento, alice):
    version = services.add_application_version(
        magento, acting_user=alice, label="Open Source 2.4.x", release_date=datetime.date(2020, 7, 28)
    )
    assert version.application == magento
    event = AuditEvent.objects.get(kind="application_version.added")
    assert (event.target, event.within, event.to_state, event.organization) == (
        version,
        magento,
        "2020-07-28",
        magento.provider,
    )
    assert event.sentence == f"{alice.get_full_name()} added the version Open Source 2.4.x to Magento"


def test_a_duplicate_label_is_refused_with_a_clear_message_whatever_its_case(magento, alice):
    ApplicationVersionFactory(application=magento, label="Open Source 2.4.x")
    with pytest.raises(ActionRefused) as refused:
        services.add_application_version(
            magento, acting_user=alice, label="open source 2.4.X", release_date=datetime.date(2021, 1, 1)
        )
    assert str(refused.value) == "Magento already has a version labelled “open source 2.4.X”."
    assert magento.versions.count() == 1


def test_the_database_constraint_becomes_a_refusal_when_the_check_is_raced(magento, alice, monkeypatch):
    ApplicationVersionFactory(application=magento, label="v3")
    monkeypatch.setattr(services, "_refuse_duplicate_label", lambda *args, **kwargs: None)
    with pytest.raises(ActionRefused, match="already has a version labelled"):
        services.add_application_version(magento, acting_user=alice, label="V3", release_date=datetime.date(2024, 1, 1))
    assert magento.versions.count() == 1
    assert not AuditEvent.objects.filter(kind="application_version.added").exists()


def test_renaming_a_version_to_another_versions_label_is_refused(magento, magento_versions, alice):
    version = magento_versions["Open Source 2.3.x"]
    with pytest.raises(ActionRefused):
        services.update_application_version(
            version, acting_user=alice, label="Open Source 2.4.X", release_date=version.release_date
        )


def test_a_version_keeps_its_own_label_when_its_date_changes(magento, magento_versions, alice):
    version = magento_versions["Open Source 2.3.x"]
    services.update_application_version(
        version, acting_user=alice, label="Open Source 2.3.x", release_date=datetime.date(2026, 1, 1), notes="moved"
    )
    assert magento.latest_version() == version
    event = AuditEvent.objects.get(kind="application_version.updated")
    assert (event.from_state, event.to_state) == ("Open Source 2.3.x 2018-11-28", "Open Source 2.3.x 2026-01-01")


def test_removing_a_version_records_it(magento, magento_versions, alice):
    removed = magento_versions["Open Source 2.5.x"]
    services.remove_application_version(removed, acting_user=alice)
    assert magento.latest_version().label == "Open Source 2.4.x"
    assert not ApplicationVersion.objects.filter(label="Open Source 2.5.x").exists()
    event = AuditEvent.objects.get(kind="application_version.removed")
    assert (event.target_id, event.target_label, event.within) == (removed.pk, "Open Source 2.5.x", magento)


def test_updating_the_public_profile_records_it_and_keeps_the_logo_unless_told(provider, alice):
    services.update_public_profile(
        provider,
        acting_user=alice,
        name="Northwind",
        website="https://northwind.example.com",
        description="We connect things.",
        contact_email="hello@northwind.example.com",
        services_offered="Implementation\nSupport",
        logo=logo(imagefiles.jpeg_file()),
    )
    provider.refresh_from_db()
    first_logo = provider.logo.name
    services.update_public_profile(
        provider,
        acting_user=alice,
        name="Northwind Integrations",
        website="https://northwind.example.com",
        description="We connect things.",
        contact_email="",
        services_offered="Implementation\n\n Support \n",
    )
    provider.refresh_from_db()
    assert provider.name == "Northwind Integrations"
    assert provider.logo.name == first_logo
    assert provider.services_list == ["Implementation", "Support"]
    assert [e.comment for e in AuditEvent.objects.filter(kind="public_profile.updated")] == ["", "logo replaced"]
