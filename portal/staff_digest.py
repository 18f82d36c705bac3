"""The daily digest to Red Rook staff: what has waited in their queues longer than
STAFF_QUEUE_OVERDUE_DAYS, each item with the link to the page where it is decided."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal import staff_queues
from portal.models import StaffDigest, User
from portal.notifications import absolute_url


def send_staff_digest(*, today: datetime.date | None = None) -> StaffDigest | None:
    """Sends today's digest unless it was sent already; returns the day's record, or None when
    another run had recorded it first. A day with nothing overdue is recorded and sends nothing."""
    today = today or timezone.localdate()
    days = settings.STAFF_QUEUE_OVERDUE_DAYS
    if StaffDigest.objects.filter(day=today).exists():
        return None
    late = staff_queues.overdue(days)
    staff = list(User.objects.filter(is_staff=True, is_active=True).order_by("pk"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                digest = StaffDigest.objects.create(
                    day=today, overdue_count=sum(queue.count for queue in late), recipient_count=0
                )
        except IntegrityError:
            return None  # a second run at the same moment: the first one sends
        sent = sum(_send_to(person, late, days) for person in staff)
        digest.recipient_count = sent
        digest.save(update_fields=["recipient_count"])
    return digest


def _send_to(person: User, late: list[staff_queues.OverdueQueue], days: int) -> int:
    """Mail leaves through the task backend once the digest's row has committed."""
    theirs = [queue for queue in late if person.has_perm(queue.queue.permission)]
    if not theirs:
        return 0
    sections = [
        {
            "name": queue.queue.name,
            "count": queue.count,
            "list_url": absolute_url(queue.queue.list_url),
            "items": [(item.label, item.since, absolute_url(item.decision_url)) for item in queue.items],
        }
        for queue in theirs
    ]
    context = {
        "sections": sections,
        "days": days,
        "now": timezone.now(),
        "admin_url": absolute_url(reverse("admin:index")),
    }
    total = sum(queue.count for queue in theirs)
    send_mail(
        subject=f"[iPaaS.com] {total} item{'s' if total != 1 else ''} waiting for staff longer than {days} days",
        message=render_to_string("portal/email/staff_digest.txt", context),
        from_email=None,
        recipient_list=[person.email],
    )
    return 1
