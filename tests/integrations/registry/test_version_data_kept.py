"""Data kept where it belongs: a submitter's notes to staff are never shown on the public pages,
and a release date in the future is refused everywhere a version is added or changed (the
portal, the admin, a verified submission), so no unreleased version shows as the latest."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from integrations.models import ApplicationVersion, SubmissionStatus
from integrations.registry import services
from portal.services import ActionRefused
from tests.admin_forms import admin_url, form_data
from tests.conftest import client_for
from tests.factories import ApplicationVersionFactory, VersionSubmissionFactory

pytestmark = pytest.mark.django_db

NOTES_TO_STAFF = "My cousin at Adobe says so; please keep this between us."
FUTURE = timezone.localdate() + datetime.timedelta(days=30)


def public_pages(application) -> str:
    pages = [application.get_absolute_url(), reverse("provider_detail", args=[application.provider.slug])]
    return "".join(client_for(None).get(url).content.decode() for url in pages)


def test_a_submitters_notes_are_not_shown_publicly_once_verified(magento, bob, sam):
    submission = VersionSubmissionFactory(application=magento, label="2.6.x", submitted_by=bob, notes=NOTES_TO_STAFF)
    verified = services.verify_version_submission(submission, acting_user=sam)
    page = public_pages(magento)
    assert "2.6.x" in page and NOTES_TO_STAFF not in page
    assert verified.version.notes == ""


def test_a_submitters_notes_stay_readable_to_staff_on_the_decision_page(magento, bob, sam):
    submission = VersionSubmissionFactory(application=magento, submitted_by=bob, notes=NOTES_TO_STAFF)
    services.verify_version_submission(submission, acting_user=sam)
    page = client_for(sam).get(admin_url(type(submission), "change", submission.pk)).content.decode()
    assert NOTES_TO_STAFF in page


def test_notes_copied_by_earlier_verifications_are_removed_and_the_providers_own_notes_kept(magento, bob, sam):
    copied = ApplicationVersionFactory(application=magento, label="2.6.x", notes=NOTES_TO_STAFF)
    VersionSubmissionFactory(
        application=magento, label="2.6.x", notes=NOTES_TO_STAFF, status=SubmissionStatus.VERIFIED, version=copied
    )
    edited = ApplicationVersionFactory(application=magento, label="2.7.x", notes="Security fixes only.")
    VersionSubmissionFactory(
        application=magento, label="2.7.x", notes=NOTES_TO_STAFF, status=SubmissionStatus.VERIFIED, version=edited
    )
    migration = importlib.import_module("integrations.migrations.0010_version_notes_stay_with_submissions")
    migration.remove_copied_notes(apps, None)
    copied.refresh_from_db()
    edited.refresh_from_db()
    assert (copied.notes, edited.notes) == ("", "Security fixes only.")


def test_the_admin_refuses_a_release_date_in_the_future_next_to_the_field(sam, magento):
    data = {"application": magento.pk, "label": "3.0 preview", "release_date": FUTURE.isoformat()}
    response = client_for(sam).post(admin_url(ApplicationVersion, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["release_date"] == [
        "A version joins the list once it is released: the date cannot be in the future."
    ]
    assert not magento.versions.exists()


def test_the_admin_refuses_moving_a_versions_date_into_the_future(sam, magento):
    version = ApplicationVersionFactory(application=magento, label="2.4.x", release_date=datetime.date(2024, 4, 9))
    client = client_for(sam)
    url = admin_url(ApplicationVersion, "change", version.pk)
    response = client.post(url, {**form_data(client.get(url)), "release_date": FUTURE.isoformat()})
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    version.refresh_from_db()
    assert version.release_date == datetime.date(2024, 4, 9)


@pytest.mark.parametrize("action", ["add", "update", "submit"])
def test_every_action_refuses_a_release_date_in_the_future(action, magento, alice, bob):
    version = ApplicationVersionFactory(application=magento, label="2.4.x")
    attempts = {
        "add": lambda: services.add_application_version(magento, acting_user=alice, label="3.0", release_date=FUTURE),
        "update": lambda: services.update_application_version(
            version, acting_user=alice, label="2.4.x", release_date=FUTURE
        ),
        "submit": lambda: services.submit_version(
            magento, user=bob, organization=None, label="3.0", release_date=FUTURE, source_url="https://example.com"
        ),
    }
    with pytest.raises(ActionRefused, match="cannot be in the future"):
        attempts[action]()
    assert magento.latest_version() == version


def test_verifying_a_submission_dated_in_the_future_is_refused(magento, bob, sam):
    submission = VersionSubmissionFactory(application=magento, submitted_by=bob, release_date=FUTURE)
    with pytest.raises(ActionRefused, match="cannot be in the future"):
        services.verify_version_submission(submission, acting_user=sam)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING and not magento.versions.exists()


def test_tomorrow_is_accepted_where_the_release_may_already_have_happened(magento, alice):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    version = services.add_application_version(magento, acting_user=alice, label="3.0", release_date=tomorrow)
    assert magento.latest_version() == version
