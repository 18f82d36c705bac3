"""A version submission is decided on its own admin page, the one the email to staff links to:
the submission, the application's versions on file, the source, who submitted it and their past
submissions, Verify and Reject (a reason required to reject), and its history. A decided
submission says who decided it and when; a second decision is refused with a message."""

import datetime
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from integrations.models import SubmissionStatus, VersionSubmission
from integrations.registry import services
from portal import staff_queues
from tests.conftest import client_for
from tests.factories import ApplicationVersionFactory, UserFactory, VersionSubmissionFactory

pytestmark = pytest.mark.django_db

SUBMISSION = {
    "label": "Open Source 2.6.x",
    "release_date": datetime.date(2026, 1, 20),
    "source_url": "https://example.com/magento-2-6-release-notes",
    "notes": "Seen in the partner newsletter; not public yet.",
}


def page_of(submission) -> str:
    return reverse("admin:integrations_versionsubmission_change", args=[submission.pk])


@pytest.fixture
def submitted(magento, magento_versions, bob, sam, django_capture_on_commit_callbacks):
    """Bob's submission, made through the action, so the email to staff and the audit row exist."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.submit_version(magento, user=bob, organization=bob.memberships.get().organization, **SUBMISSION)


def test_the_email_to_staff_links_to_the_page_where_the_submission_is_decided(submitted, sam):
    [message] = [m for m in mail.outbox if m.to == [sam.email]]
    link = re.search(r"https?://\S+", message.body.split("admin:")[-1]).group(0)
    assert link.endswith(page_of(submitted))
    page = client_for(sam).get(page_of(submitted)).content.decode()
    assert 'name="decision" value="verify"' in page and 'name="decision" value="reject"' in page


def test_the_decision_page_shows_what_is_needed_to_judge(submitted, magento_versions, bob, sam, magento):
    earlier = VersionSubmissionFactory(application=magento, label="1.9 beta", submitted_by=bob)
    services.reject_version_submission(earlier, acting_user=sam, comment="A beta is not a version.")
    page = client_for(sam).get(page_of(submitted)).content.decode()
    for label in magento_versions:
        assert f'<th scope="row">{label}</th>' in page
    assert SUBMISSION["source_url"] in page
    assert "Bob Other" in page and bob.email in page and "Bluebird Connect" in page
    assert SUBMISSION["notes"] in page
    assert "Magento 1.9 beta" in page and "Rejected: 1" in page  # the submitter's past submissions
    assert (
        "Bob Other submitted for review the version Open Source 2.6.x of Magento" in page
    )  # history, from the audit trail


def test_staff_verify_on_the_page_and_it_then_says_who_decided_and_when(
    submitted, sam, magento, django_capture_on_commit_callbacks
):
    client = client_for(sam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_of(submitted), {"decision": "verify", "comment": "In the release notes."})
    assert response.status_code == 302 and response["Location"] == page_of(submitted)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reviewed_by) == (SubmissionStatus.VERIFIED, sam)
    assert magento.versions.filter(label=SUBMISSION["label"]).exists()
    page = client.get(page_of(submitted)).content.decode()
    assert "Verified by Sam Staff" in page and f"{submitted.reviewed_at:%b} {submitted.reviewed_at.day}" in page
    assert 'name="decision"' not in page
    assert (
        "Sam Staff verified the submitted version Open Source 2.6.x of Magento" in page
    )  # and the history has the decision


def test_rejecting_on_the_page_needs_a_reason_and_keeps_the_submission_waiting_without_one(submitted, sam):
    response = client_for(sam).post(page_of(submitted), {"decision": "reject", "comment": "  "})
    assert response.status_code == 200
    assert "Say why the submission is rejected; the submitter reads it." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.PENDING


def test_staff_reject_on_the_page_with_a_reason(submitted, sam, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(sam).post(page_of(submitted), {"decision": "reject", "comment": "No such release."})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.review_comment) == (SubmissionStatus.REJECTED, "No such release.")
    assert any(m.to == [bob.email] and "No such release." in m.body for m in mail.outbox)


@pytest.mark.parametrize("second", ["verify", "reject"])
def test_a_second_decision_is_refused_with_a_message(second, submitted, sam, magento):
    other = UserFactory(is_staff=True, is_superuser=True, name="Rita Staff")
    TOTP.activate(other, generate_totp_secret())
    services.verify_version_submission(submitted, acting_user=other)
    response = client_for(sam).post(page_of(submitted), {"decision": second, "comment": "Me too."}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "is already verified; it cannot change now" in page
    assert "Verified by Rita Staff" in page
    assert magento.versions.filter(label=SUBMISSION["label"]).count() == 1


def test_a_refused_verification_is_shown_on_the_form_and_the_submission_keeps_waiting(submitted, sam, magento):
    ApplicationVersionFactory(application=magento, label=SUBMISSION["label"].upper())  # the provider added it
    response = client_for(sam).post(page_of(submitted), {"decision": "verify", "comment": "Typed first."})
    page = response.content.decode()
    assert response.status_code == 200 and "already has a version labelled" in page and "Typed first." in page
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.PENDING


def test_staff_who_may_only_view_see_the_page_but_cannot_decide(submitted):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_versionsubmission"))
    TOTP.activate(viewer, generate_totp_secret())
    client = client_for(viewer)
    page = client.get(page_of(submitted))
    assert page.status_code == 200 and 'name="decision"' not in page.content.decode()
    assert client.post(page_of(submitted), {"decision": "verify"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.PENDING


def test_a_page_of_a_submission_that_does_not_exist_answers_with_a_message(sam):
    response = client_for(sam).get(reverse("admin:integrations_versionsubmission_change", args=[999]), follow=True)
    assert response.status_code == 200 and "doesn’t exist" in response.content.decode()


def test_the_decision_page_costs_the_same_queries_however_long_the_history(
    submitted, sam, bob, magento, django_assert_max_num_queries
):
    client = client_for(sam)
    client.get(page_of(submitted))
    with django_assert_max_num_queries(20) as few:
        client.get(page_of(submitted))
    for n in range(15):
        ApplicationVersionFactory(application=magento, label=f"old {n}")
        VersionSubmissionFactory(application=magento, label=f"earlier {n}", submitted_by=bob)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page_of(submitted))


# --- The queue on the admin home ------------------------------------------------------------


def test_the_admin_home_counts_the_version_submissions_waiting(submitted, magento, bob, sam):
    VersionSubmissionFactory(application=magento, label="decided", submitted_by=bob, status=SubmissionStatus.VERIFIED)
    [counted] = [c for c in staff_queues.count_waiting(sam) if c.queue.key == "version_submissions"]
    assert counted.count == 1 and counted.oldest_since == submitted.created_at
    page = client_for(sam).get(reverse("admin:index")).content.decode()
    assert re.search(r"Version submissions</a></th>\s*<td class=\"queue-count\">1</td>", page)


def test_the_digest_links_each_overdue_submission_to_its_decision_page(
    submitted, sam, settings, django_capture_on_commit_callbacks
):
    from portal.staff_digest import send_staff_digest

    VersionSubmission.objects.filter(pk=submitted.pk).update(
        created_at=submitted.created_at - datetime.timedelta(days=9)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_staff_digest()
    [message] = mail.outbox
    assert "Magento Open Source 2.6.x" in message.body
    assert settings.SITE_URL + page_of(submitted) in message.body
