"""Red Rook staff work the version-submission queue in a real browser: they sign in with their
password and a TOTP code, see on the admin home that one version submission waits, open it from
the link in the email staff were sent, and verify it there. At 1280 px the queue's list shows
every status as a whole word."""

import datetime
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from integrations.models import SubmissionStatus, VersionSubmission
from integrations.registry import services
from tests.browser.totp import type_code
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    ApplicationVersionFactory,
    UserFactory,
    VersionSubmissionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SUBMISSION = {
    "label": "Open Source 2.6.x",
    "release_date": datetime.date(2026, 1, 20),
    "source_url": "https://example.com/magento-2-6-release-notes",
}


def sign_in_with_totp(page: Page, live_server, user, secret: str) -> None:
    page.goto(live_server.url + "/admin/")  # the admin sends staff to sign in through allauth
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    type_code(page.get_by_label("Code"), secret)
    page.get_by_role("button", name="Sign In").click()


@pytest.fixture
def magento(northwind):
    northwind.is_provider = True
    northwind.save(update_fields=["is_provider"])
    application = ApplicationFactory(provider=northwind, name="Magento", slug="magento", is_published=True)
    for label, year in [("Open Source 2.4.x", 2020), ("Open Source 2.5.x", 2025)]:
        ApplicationVersionFactory(application=application, label=label, release_date=datetime.date(year, 7, 28))
    return application


@pytest.fixture
def staff_member(db):
    user = UserFactory(email="sam@redrook.example.com", name="Sam Staff", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    cache.clear()
    return user, secret


def test_staff_sign_in_with_totp_see_the_waiting_submission_and_verify_it_from_the_emails_link(
    page: Page, live_server, staff_member, magento, bob
):
    staff, secret = staff_member
    services.submit_version(magento, user=bob, organization=bob.memberships.get().organization, **SUBMISSION)
    [email] = [message for message in mail.outbox if message.to == [staff.email]]
    link = re.search(r"https?://\S+/admin/\S+", email.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    sign_in_with_totp(page, live_server, staff, secret)
    queues = page.get_by_role("region", name="Waiting for a decision")
    row = queues.get_by_role("row").filter(has_text="Version submissions")
    expect(row.locator(".queue-count")).to_have_text("1")

    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name="Magento Open Source 2.6.x")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Open Source 2.5.x"))).to_be_visible()  # the versions on file
    page.get_by_label("Comment to the submitter").fill("Listed in Adobe's release notes.")
    page.get_by_role("button", name=re.compile("^Verify")).click()

    expect(page.locator(".messagelist")).to_contain_text("is verified and joined the version list")
    expect(page.locator(".decided")).to_contain_text("Verified by Sam Staff")
    expect(page.get_by_role("button", name=re.compile("^Verify"))).to_have_count(0)
    submission = VersionSubmission.objects.get()
    assert (submission.status, submission.reviewed_by) == (SubmissionStatus.VERIFIED, staff)
    assert magento.versions.filter(label="Open Source 2.6.x").exists()

    page.goto(live_server.url + "/admin/")
    expect(row.locator(".queue-count")).to_have_text("0")


def test_at_1280_px_the_queues_statuses_are_whole_words(new_page, live_server, staff_member, magento):
    staff, secret = staff_member
    long_named = UserFactory(email="a.submitter.with.a-rather-long.address@integrations.example.com", name="")
    for n, status in enumerate([SubmissionStatus.PENDING, SubmissionStatus.VERIFIED, SubmissionStatus.REJECTED]):
        VersionSubmissionFactory(
            application=magento,
            label=f"Enterprise Edition Cloud Commerce 2.{n}.x-patch",
            submitted_by=long_named,
            status=status,
            source_url="https://experienceleague.adobe.com/en/docs/commerce-operations/release/notes/overview",
        )
    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in_with_totp(page, live_server, staff, secret)
    page.goto(live_server.url + "/admin/integrations/versionsubmission/")
    statuses = page.locator("td.field-status_label")
    expect(statuses).to_have_count(3)
    for word in ["Waiting for review", "Verified", "Rejected"]:
        expect(statuses.filter(has_text=word)).to_have_count(1)
    for cell in statuses.all():
        box = cell.bounding_box()
        fits = cell.evaluate("cell => cell.scrollWidth <= cell.clientWidth")
        assert fits and box["x"] + box["width"] <= 1280, f"the status column is cut: {box}"
        word = cell.locator("span.status").bounding_box()
        assert word["height"] < 2 * 16, f"the status wraps onto several lines: {word}"
