"""Anyone signed in submits a version the list lacks; staff verify or reject it in the admin;
the submitter, and on verification the provider's owners and admins, are emailed."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from integrations.models import SubmissionStatus, VersionSubmission
from integrations.registry import services
from portal.models import AuditEvent, Role
from portal.services import ActionRefused
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory, VersionSubmissionFactory

pytestmark = pytest.mark.django_db

SUBMISSION = {
    "label": "Open Source 2.6.x",
    "release_date": "2026-01-20",
    "source_url": "https://experienceleague.adobe.com/en/docs/commerce-operations/release/notes/2-6",
    "notes": "Announced in the release notes.",
}


def submit(user, application, **data):
    return client_for(user).post(reverse("version_submit", args=[application.slug]), {**SUBMISSION, **data})


def test_anyone_signed_in_can_submit_a_version_and_staff_are_told(
    magento, magento_versions, carol, sam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(carol, magento)
    assert response.status_code == 302 and response["Location"] == reverse("application_detail", args=["magento"])
    submission = VersionSubmission.objects.get()
    assert (submission.label, submission.status, submission.submitted_by) == (
        "Open Source 2.6.x",
        SubmissionStatus.PENDING,
        carol,
    )
    assert submission.submitted_for == carol.memberships.get().organization
    assert magento.versions.count() == 3, "not in the list until staff verify it"
    [message] = mail.outbox
    assert message.to == [sam.email]
    assert "Version submitted for review: Magento Open Source 2.6.x" in message.subject
    assert f"/admin/integrations/versionsubmission/{submission.pk}/change/" in message.body
    assert AuditEvent.objects.filter(kind="version_submission.submitted", actor=carol).exists()


def test_a_person_without_an_organization_can_submit_too(magento):
    loner = UserFactory()
    assert submit(loner, magento).status_code == 302
    assert VersionSubmission.objects.get().submitted_for is None


def test_a_label_already_in_the_list_is_refused_with_a_clear_message(magento, magento_versions, bob):
    response = submit(bob, magento, label="open source 2.4.X")
    assert response.status_code == 200
    assert "Magento already has a version labelled “open source 2.4.X”." in response.content.decode()
    assert not VersionSubmission.objects.exists()


def test_a_label_already_waiting_for_review_is_refused(magento, bob, carol):
    submit(bob, magento)
    response = submit(carol, magento, label="OPEN SOURCE 2.6.X")
    assert "was already submitted for Magento and is waiting for review" in response.content.decode()
    assert VersionSubmission.objects.count() == 1


def test_a_submission_needs_a_source_url_and_a_past_release_date(magento, bob):
    tomorrow_but_one = timezone.localdate() + datetime.timedelta(days=3)
    response = submit(bob, magento, source_url="", release_date=tomorrow_but_one.isoformat())
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "the date cannot be in the future" in page
    assert not VersionSubmission.objects.exists()


def test_one_person_can_have_only_ten_submissions_waiting(magento, bob):
    for n in range(services.MAX_PENDING_SUBMISSIONS_PER_PERSON):
        VersionSubmissionFactory(application=magento, label=f"waiting {n}", submitted_by=bob)
    response = submit(bob, magento)
    assert "You have 10 submissions waiting for review." in response.content.decode()
    assert not VersionSubmission.objects.filter(label=SUBMISSION["label"]).exists()


def test_a_draft_cannot_be_submitted_to_by_other_organizations(draft, bob, ivy):
    assert submit(bob, draft).status_code == 404
    assert submit(ivy, draft).status_code == 302  # its own members may


def test_verifying_adds_the_version_and_tells_the_submitter_and_the_provider_managers(
    magento, magento_versions, provider, alice, ivy, bob, sam, django_capture_on_commit_callbacks
):
    admin_user = UserFactory(email="ada@northwind.example.com")
    MembershipFactory(user=admin_user, organization=provider, role=Role.ADMIN)
    submission = VersionSubmissionFactory(
        application=magento, label="Open Source 2.6.x", release_date=datetime.date(2026, 1, 20), submitted_by=bob
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_version_submission(submission, acting_user=sam, comment="Confirmed in the release notes.")

    submission.refresh_from_db()
    assert (submission.status, submission.reviewed_by) == (SubmissionStatus.VERIFIED, sam)
    assert submission.version.label == "Open Source 2.6.x"
    assert submission.version.source_url == submission.source_url
    assert magento.latest_version() == submission.version, "the newest release date makes it the latest"

    to_submitter = [m for m in mail.outbox if m.to == [bob.email]]
    assert len(to_submitter) == 1 and "was verified" in to_submitter[0].subject
    assert "Confirmed in the release notes." in to_submitter[0].body
    to_provider = sorted(m.to[0] for m in mail.outbox if "New version of Magento verified" in m.subject)
    assert to_provider == sorted([alice.email, admin_user.email]), "owners and admins, not plain members"
    assert ivy.email not in {address for m in mail.outbox for address in m.to}
    event = AuditEvent.objects.get(kind="version_submission.verified")
    assert (event.from_state, event.to_state, event.organization) == ("pending", "verified", provider)


def test_rejecting_needs_a_reason_and_tells_only_the_submitter(magento, bob, sam, django_capture_on_commit_callbacks):
    submission = VersionSubmissionFactory(application=magento, submitted_by=bob)
    with pytest.raises(ActionRefused, match="Say why"):
        services.reject_version_submission(submission, acting_user=sam, comment="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_version_submission(submission, acting_user=sam, comment="No such release exists.")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED and submission.version is None
    [message] = mail.outbox
    assert message.to == [bob.email]
    assert "was not added" in message.subject and "No such release exists." in message.body
    assert magento.versions.count() == 0


@pytest.mark.parametrize("first", ["verify", "reject"])
def test_a_decided_submission_cannot_be_decided_again(first, magento, bob, sam):
    submission = VersionSubmissionFactory(application=magento, submitted_by=bob)
    decide = {
        "verify": lambda s: services.verify_version_submission(s, acting_user=sam),
        "reject": lambda s: services.reject_version_submission(s, acting_user=sam, comment="No."),
    }
    decide[first](submission)
    for second in decide.values():
        with pytest.raises(ActionRefused, match="it cannot change now"):
            second(submission)
    assert magento.versions.count() == (1 if first == "verify" else 0)


def test_verifying_a_label_the_provider_added_meanwhile_is_refused(magento, bob, sam, alice):
    submission = VersionSubmissionFactory(application=magento, label="2.6.x", submitted_by=bob)
    services.add_application_version(magento, acting_user=alice, label="2.6.X", release_date=datetime.date(2026, 1, 1))
    with pytest.raises(ActionRefused, match="already has a version labelled"):
        services.verify_version_submission(submission, acting_user=sam)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING


def test_the_submitter_sees_their_submissions_and_their_status(magento, bob, carol, sam):
    mine = VersionSubmissionFactory(application=magento, label="2.6.x", submitted_by=bob)
    VersionSubmissionFactory(application=magento, label="2.7.x", submitted_by=carol)
    services.reject_version_submission(mine, acting_user=sam, comment="Not released yet.")
    page = client_for(bob).get(reverse("submission_list")).content.decode()
    assert "2.6.x" in page and "Rejected" in page and "Not released yet." in page
    assert "2.7.x" not in page


# --- The admin: the submission queue and its actions ------------------------------------


def changelist():
    return reverse("admin:integrations_versionsubmission_changelist")


def test_staff_verify_from_the_admin_queue(magento, bob, sam, django_capture_on_commit_callbacks):
    first = VersionSubmissionFactory(application=magento, label="2.6.x", submitted_by=bob)
    second = VersionSubmissionFactory(application=magento, label="2.7.x", submitted_by=bob)
    client = client_for(sam)
    assert client.get(changelist()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist(), {"action": "verify_selected", ACTION_CHECKBOX_NAME: [first.pk, second.pk]}, follow=True
        )
    assert "2 submissions verified" in response.content.decode()
    assert sorted(magento.versions.values_list("label", flat=True)) == ["2.6.x", "2.7.x"]
    assert len([m for m in mail.outbox if m.to == [bob.email]]) == 2


def test_staff_reject_from_the_admin_queue_after_giving_a_reason(magento, bob, sam, django_capture_on_commit_callbacks):
    submission = VersionSubmissionFactory(application=magento, label="9.9.x", submitted_by=bob)
    client = client_for(sam)
    selection = {"action": "reject_selected", ACTION_CHECKBOX_NAME: [submission.pk]}

    asked = client.post(changelist(), selection)
    assert asked.status_code == 200 and "Reason, sent to each submitter" in asked.content.decode()
    without_reason = client.post(changelist(), {**selection, "confirm": "yes", "comment": ""})
    assert "Say why; the submitter reads it." in without_reason.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(changelist(), {**selection, "confirm": "yes", "comment": "Not a real version."}, follow=True)
    assert "1 submission rejected" in done.content.decode()
    submission.refresh_from_db()
    assert (submission.status, submission.review_comment) == (SubmissionStatus.REJECTED, "Not a real version.")
    assert [m.to for m in mail.outbox] == [[bob.email]]


def test_the_admin_reports_a_submission_it_could_not_decide(magento, bob, sam):
    submission = VersionSubmissionFactory(application=magento, label="2.6.x", submitted_by=bob)
    services.reject_version_submission(submission, acting_user=sam, comment="No.")
    response = client_for(sam).post(
        changelist(), {"action": "verify_selected", ACTION_CHECKBOX_NAME: [submission.pk]}, follow=True
    )
    assert "is already rejected; it cannot change now" in response.content.decode()


def test_staff_cannot_edit_a_submissions_status_directly(magento, bob, sam):
    submission = VersionSubmissionFactory(application=magento, submitted_by=bob)
    change = reverse("admin:integrations_versionsubmission_change", args=[submission.pk])
    client_for(sam).post(change, {"status": SubmissionStatus.VERIFIED})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING


def test_staff_who_may_only_view_submissions_cannot_decide_them(magento, bob):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Permission

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_versionsubmission"))
    TOTP.activate(viewer, generate_totp_secret())
    submission = VersionSubmissionFactory(application=magento, submitted_by=bob)
    client = client_for(viewer)
    page = client.get(changelist())
    assert page.status_code == 200 and "verify_selected" not in page.content.decode()
    client.post(changelist(), {"action": "verify_selected", ACTION_CHECKBOX_NAME: [submission.pk]})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING
