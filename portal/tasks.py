from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection

from portal.mail import deserialize


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_email(payload: dict) -> None:
    connection = get_connection(backend=settings.PORTAL_EMAIL_BACKEND)
    connection.send_messages([deserialize(payload)])
