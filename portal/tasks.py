from celery import shared_task

from portal import jobs, mail
from portal.staff_digest import send_staff_digest

# Both are short: an SMTP conversation, or a few queries and messages. Their hard limits stay
# below mail.CLAIM_SECONDS and settings.TASK_TIME_LIMIT.
SHORT = {"soft_time_limit": 60, "time_limit": 90}


@shared_task(acks_late=True, **SHORT)
def send_email(email_pk: int) -> None:
    """Deliver one stored email; a failure is recorded on it and retried later by the sweep."""
    mail.deliver(email_pk)


@shared_task(acks_late=True, **SHORT)
def deliver_email(payload: dict) -> None:
    """Messages queued before the outbox existed carry the whole message: store it, then send."""
    mail.deliver(mail.store(payload).pk)


@shared_task(acks_late=True, **SHORT)
def sweep_jobs() -> None:
    """Beat, every minute: queue again what is due or was lost, fail what was abandoned."""
    jobs.sweep_jobs()


@shared_task(acks_late=True, **SHORT)
def send_staff_queue_digest() -> None:
    """Daily (CELERY_BEAT_SCHEDULE): at most one digest a day, so a retry or a second run sends none."""
    send_staff_digest()
