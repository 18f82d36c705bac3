from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection

from portal.mail import deserialize
from portal.staff_digest import send_staff_digest


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_email(payload: dict) -> None:
    connection = get_connection(backend=settings.PORTAL_EMAIL_BACKEND)
    connection.send_messages([deserialize(payload)])


@shared_task(acks_late=True)
def send_staff_queue_digest() -> None:
    """Daily (CELERY_BEAT_SCHEDULE): at most one digest a day, so a retry or a second run sends none."""
    send_staff_digest()
