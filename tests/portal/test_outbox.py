"""Every email is stored before it is sent; a mail server that is down delays mail, never loses it."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.core.mail import send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal import jobs, mail, tasks
from portal.models import AuditEvent, EmailStatus, OutgoingEmail
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

FAILING = "tests.portal.test_outbox.MailServerDown"


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the test's own transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _send(commit, subject="Your invitation"):
    with commit():
        send_mail(subject, "Hello", None, ["newcomer@example.com"])


def _make_due(email):
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_an_email_is_stored_then_sent(commit):
    _send(commit)

    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts, email.subject, email.recipients) == (
        EmailStatus.SENT,
        1,
        "Your invitation",
        "newcomer@example.com",
    )
    assert [m.subject for m in django_mail.outbox] == ["Your invitation"]


def test_an_email_of_a_rolled_back_change_is_neither_stored_nor_sent():
    with transaction.atomic():
        send_mail("Your invitation", "Hello", None, ["newcomer@example.com"])
        transaction.set_rollback(True)

    assert not OutgoingEmail.objects.exists()
    assert django_mail.outbox == []


def test_a_refused_attempt_keeps_the_email_to_try_again_a_minute_later(commit, settings):
    settings.PORTAL_EMAIL_BACKEND = FAILING
    _send(commit)

    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert email.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert timedelta(seconds=50) < email.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    assert django_mail.outbox == []


def test_the_delay_between_attempts_doubles_up_to_an_hour():
    delays = [mail.retry_delay(attempt).total_seconds() for attempt in range(1, 10)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_an_email_is_tried_for_more_than_a_day_before_it_is_given_up(commit, settings):
    settings.PORTAL_EMAIL_BACKEND = FAILING
    _send(commit)
    email = OutgoingEmail.objects.get()
    assert email.retry_until - email.created_at >= timedelta(days=1)

    OutgoingEmail.objects.filter(pk=email.pk).update(retry_until=timezone.now() + timedelta(hours=1))
    _make_due(email)
    mail.deliver(email.pk)
    assert OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.PENDING

    OutgoingEmail.objects.filter(pk=email.pk).update(retry_until=timezone.now())
    _make_due(email)
    mail.deliver(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 3)


def test_the_sweep_sends_an_email_whose_retry_is_due(commit, settings):
    settings.PORTAL_EMAIL_BACKEND = FAILING
    _send(commit)
    email = OutgoingEmail.objects.get()
    settings.PORTAL_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    jobs.sweep_jobs()
    assert OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.PENDING  # not due yet

    _make_due(email)
    jobs.sweep_jobs()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 2, "")
    assert len(django_mail.outbox) == 1


def test_the_sweep_sends_an_email_whose_task_was_lost():
    email = mail.store(mail.serialize(django_mail.EmailMessage("Lost", "Hello", None, ["a@example.com"])))

    jobs.sweep_jobs()

    assert OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.SENT
    assert [m.subject for m in django_mail.outbox] == ["Lost"]


def test_a_message_delivered_twice_is_sent_once(commit):
    _send(commit)
    email = OutgoingEmail.objects.get()

    assert mail.deliver(email.pk) is False
    assert len(django_mail.outbox) == 1


def test_a_message_queued_before_the_outbox_existed_is_stored_and_sent():
    payload = mail.serialize(django_mail.EmailMessage("Queued earlier", "Hello", None, ["a@example.com"]))

    tasks.deliver_email(payload)

    assert OutgoingEmail.objects.get().status == EmailStatus.SENT
    assert [m.subject for m in django_mail.outbox] == ["Queued earlier"]


def _send_again(commit, user, *emails):
    with commit():
        return client_for(user).post(
            reverse("admin:portal_outgoingemail_changelist"),
            {"action": "send_again", "_selected_action": [email.pk for email in emails]},
            follow=True,
        )


def test_staff_send_a_given_up_email_again_from_the_admin(commit, settings, sam):
    settings.PORTAL_EMAIL_BACKEND = FAILING
    _send(commit, "Reset your password")
    given_up = OutgoingEmail.objects.get()
    OutgoingEmail.objects.filter(pk=given_up.pk).update(status=EmailStatus.FAILED)
    settings.PORTAL_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    response = _send_again(commit, sam, given_up)

    assert "1 email will be sent again." in response.content.decode()
    given_up.refresh_from_db()
    assert given_up.status == EmailStatus.SENT
    assert given_up.retry_until > timezone.now() + timedelta(hours=23)
    assert [m.subject for m in django_mail.outbox] == ["Reset your password"]
    event = AuditEvent.objects.get(kind="email.sent_again")
    assert (event.actor, event.target) == (sam, given_up)


def test_send_again_leaves_a_sent_email_alone(commit, sam):
    _send(commit)
    sent = OutgoingEmail.objects.get()

    response = _send_again(commit, sam, sent)

    assert "1 already sent was left alone." in response.content.decode()
    assert len(django_mail.outbox) == 1
    assert not AuditEvent.objects.filter(kind="email.sent_again").exists()


def test_the_outbox_lists_what_failed_for_staff(commit, settings, sam):
    settings.PORTAL_EMAIL_BACKEND = FAILING
    _send(commit, "Welcome")
    OutgoingEmail.objects.update(status=EmailStatus.FAILED)

    page = client_for(sam).get(reverse("admin:portal_outgoingemail_changelist"), {"status__exact": "failed"})

    assert page.status_code == 200
    assert "Welcome" in page.content.decode()
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page.content.decode()
