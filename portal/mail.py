"""The outbox: an email backend that stores every message, and its delivery with retries.

Pages never wait on SMTP. A message is stored (an OutgoingEmail row) in the transaction that
caused it, so it exists exactly when that transaction commits; then a Celery task delivers it
through PORTAL_EMAIL_BACKEND (from EMAIL_URL). A failed attempt is tried again with a growing
delay for EMAIL_RETRY_HOURS; the job sweep (portal.jobs) sends what is due, including messages
whose task was lost. What still fails stays in the admin, where staff can send it again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal import jobs
from portal.models import EmailStatus, OutgoingEmail, User
from portal.services import record

logger = logging.getLogger(__name__)

# Longer than the delivery task's hard time limit: a claim outlives the attempt it is for, and a
# worker that died mid-attempt leaves the message due again afterwards.
CLAIM_SECONDS = 300
FIRST_RETRY_SECONDS = 60
LONGEST_RETRY_SECONDS = 3600
SWEEP_BATCH = 200


def serialize(message) -> dict:
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }


def deserialize(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def store(message: dict) -> OutgoingEmail:
    now = timezone.now()
    return OutgoingEmail.objects.create(
        subject=message["subject"][:300],
        recipients=", ".join(message["to"] + message["cc"] + message["bcc"]),
        message=message,
        next_attempt_at=now,
        retry_until=now + timedelta(hours=settings.EMAIL_RETRY_HOURS),
    )


def _enqueue(email_pk: int) -> bool:
    from portal import tasks  # the task module imports this one

    return jobs.send(tasks.send_email, email_pk)


class TaskEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            email = store(serialize(message))
            transaction.on_commit(lambda pk=email.pk: _enqueue(pk))
        return len(email_messages)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after the first, second, third failure, then hourly."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_RETRY_SECONDS))


def deliver(email_pk: int) -> bool:
    """Try to send one stored email, if it is due; answers whether it went. Two workers given
    the same message at once send it once: the claim is a conditional UPDATE."""
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(pk=email_pk, status=EmailStatus.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_pk)
    try:
        get_connection(backend=settings.PORTAL_EMAIL_BACKEND).send_messages([deserialize(email.message)])
    except Exception as error:  # noqa: BLE001 - whatever the mail server answered, the message is kept
        _attempt_failed(email, error)
        return False
    OutgoingEmail.objects.filter(pk=email_pk).update(status=EmailStatus.SENT, sent_at=timezone.now(), last_error="")
    return True


def _attempt_failed(email: OutgoingEmail, error: Exception) -> None:
    now = timezone.now()
    given_up = now >= email.retry_until
    OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.PENDING).update(
        status=EmailStatus.FAILED if given_up else EmailStatus.PENDING,
        next_attempt_at=now + retry_delay(email.attempts),
        last_error=f"{type(error).__name__}: {error}"[:1000],
    )
    logger.warning(
        "Email %s (%s) not sent, attempt %s: %s%s",
        email.pk,
        email.subject,
        email.attempts,
        error,
        "; given up, staff can send it again from the admin" if given_up else "; it will be tried again",
    )


def send_due_emails() -> None:
    """The job sweep's part for mail: queue every stored message that is due."""
    due = OutgoingEmail.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lte=timezone.now())
    for pk in due.order_by("next_attempt_at").values_list("pk", flat=True)[:SWEEP_BATCH]:
        if not _enqueue(pk):
            return  # the broker is away: the next sweep tries again


def send_again(emails, *, acting_user: User) -> int:
    """Staff's "send again": the chosen messages not yet sent get a fresh retry window."""
    with transaction.atomic():
        now = timezone.now()
        chosen = list(
            OutgoingEmail.objects.select_for_update()
            .filter(pk__in=[email.pk for email in emails])
            .exclude(status=EmailStatus.SENT)
        )
        for email in chosen:
            email.status = EmailStatus.PENDING
            email.next_attempt_at = now
            email.retry_until = now + timedelta(hours=settings.EMAIL_RETRY_HOURS)
            email.save(update_fields=["status", "next_attempt_at", "retry_until"])
            label = f"“{email.subject}” to {email.recipients}"
            record(actor=acting_user, kind="email.sent_again", target=email, target_label=label)
            transaction.on_commit(lambda pk=email.pk: _enqueue(pk))
    return len(chosen)
