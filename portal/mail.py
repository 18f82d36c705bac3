"""An email backend that hands every message to a Celery task.

Pages never wait on SMTP, and a message is only queued once the transaction that caused it
has committed. The task delivers it through PORTAL_EMAIL_BACKEND (from EMAIL_URL).
"""

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


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


class TaskEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from portal.tasks import deliver_email

        count = 0
        for message in email_messages:
            payload = serialize(message)
            transaction.on_commit(lambda payload=payload: deliver_email.delay(payload))
            count += 1
        return count
