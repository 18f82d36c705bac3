"""The staff queues: apps register what waits for Red Rook staff with the portal; the admin home
counts each queue, the longest-waiting first with its age, in a fixed number of queries; a daily
digest emails staff what has waited too long, at most once a day.

The queue here is one the test registers over the portal's own invitations, so the registry is
proved without any domain app; tests/integrations/test_submission_decisions.py covers the
version-submission queue the integrations app registers."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal import staff_queues
from portal.models import Invitation, InvitationStatus, StaffDigest
from portal.staff_digest import send_staff_digest
from portal.tasks import send_staff_queue_digest
from tests.conftest import client_for
from tests.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation_queue():
    """Open invitations as a queue (as an app would register one), removed again afterwards."""
    queue = staff_queues.StaffQueue(
        key="test_invitations",
        name="Invitations waiting for an answer",
        waiting=lambda: Invitation.objects.filter(status=InvitationStatus.PENDING),
        since_field="sent_at",
        list_url_name="admin:portal_invitation_changelist",
        list_query="status__exact=pending",
        decision_url=lambda invitation: reverse("admin:portal_invitation_change", args=[invitation.pk]),
        permission="portal.view_invitation",
    )
    registered = dict(staff_queues._queues)
    staff_queues.register_queue(queue)
    yield queue
    staff_queues._queues.clear()
    staff_queues._queues.update(registered)


def waiting_since(days: float, **kwargs) -> Invitation:
    return InvitationFactory(sent_at=timezone.now() - datetime.timedelta(days=days), **kwargs)


def test_a_queue_counts_what_waits_and_the_oldest_age(invitation_queue, sam):
    waiting_since(5)
    waiting_since(1)
    waiting_since(9, status=InvitationStatus.ACCEPTED)  # decided: no longer waits
    [counted] = [c for c in staff_queues.count_waiting(sam) if c.queue is invitation_queue]
    assert counted.count == 2
    assert datetime.timedelta(days=5) <= counted.oldest_age < datetime.timedelta(days=5, minutes=1)


def test_the_longest_waiting_queue_comes_first_and_empty_queues_last(invitation_queue, sam):
    empty = staff_queues.StaffQueue(
        key="test_empty",
        name="A queue with nothing in it",
        waiting=lambda: Invitation.objects.none(),
        since_field="sent_at",
        list_url_name="admin:portal_invitation_changelist",
        decision_url=lambda invitation: "",
        permission="portal.view_invitation",
    )
    staff_queues.register_queue(empty)
    waiting_since(2)
    names = [c.queue.name for c in staff_queues.count_waiting(sam)]
    assert names.index(invitation_queue.name) < names.index(empty.name)


def test_registering_a_queue_again_replaces_it(invitation_queue):
    staff_queues.register_queue(invitation_queue)
    assert [q.key for q in staff_queues.queues()].count("test_invitations") == 1


def test_the_admin_home_starts_with_the_queues_and_their_counts(invitation_queue, sam):
    waiting_since(4)
    page = client_for(sam).get(reverse("admin:index")).content.decode()
    assert page.index("Waiting for a decision") < page.index('id="content-main"'), "before the list of models"
    assert "Invitations waiting for an answer" in page
    assert f"{reverse('admin:portal_invitation_changelist')}?status__exact=pending" in page
    assert "4\xa0days" in page


def test_the_admin_home_costs_the_same_queries_whatever_waits(invitation_queue, sam, django_assert_max_num_queries):
    client = client_for(sam)
    waiting_since(1)
    client.get(reverse("admin:index"))  # warm the session and permission caches
    # One query per registered queue (its count and oldest item together), plus the page's own:
    # a queue more costs one query more, waiting items never do.
    with django_assert_max_num_queries(6 + len(staff_queues.queues())) as few:
        client.get(reverse("admin:index"))
    for days in range(2, 30):
        waiting_since(days)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("admin:index"))


def test_staff_see_only_the_queues_they_may_view(invitation_queue, db):
    viewer = UserFactory(is_staff=True)
    TOTP.activate(viewer, generate_totp_secret())
    assert invitation_queue not in staff_queues.visible_queues(viewer)
    viewer.user_permissions.add(Permission.objects.get(codename="view_invitation"))
    viewer = type(viewer).objects.get(pk=viewer.pk)  # a fresh permission cache
    assert invitation_queue in staff_queues.visible_queues(viewer)


# --- The daily digest ------------------------------------------------------------------------


def test_the_digest_lists_what_waited_longer_than_the_setting_with_links(
    invitation_queue, sam, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_QUEUE_OVERDUE_DAYS = 3
    late = waiting_since(5, email="late@example.com")
    waiting_since(1, email="recent@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        digest = send_staff_digest()
    assert (digest.overdue_count, digest.recipient_count) == (1, 1)
    [message] = [m for m in mail.outbox if m.to == [sam.email]]
    assert "1 item waiting for staff longer than 3 days" in message.subject
    assert "late@example.com" in message.body and "recent@example.com" not in message.body
    assert settings.SITE_URL + reverse("admin:portal_invitation_change", args=[late.pk]) in message.body


def test_the_digest_is_sent_at_most_once_a_day(invitation_queue, sam, django_capture_on_commit_callbacks):
    waiting_since(10)
    with django_capture_on_commit_callbacks(execute=True):
        send_staff_queue_digest.delay()
        send_staff_queue_digest.delay()  # a retry, or a second beat
    assert len([m for m in mail.outbox if m.to == [sam.email]]) == 1
    assert StaffDigest.objects.get().day == timezone.localdate()


def test_the_next_day_has_its_own_digest(invitation_queue, sam, django_capture_on_commit_callbacks):
    waiting_since(10)
    with django_capture_on_commit_callbacks(execute=True):
        send_staff_digest(today=timezone.localdate() - datetime.timedelta(days=1))
        send_staff_digest()
    assert len([m for m in mail.outbox if m.to == [sam.email]]) == 2


def test_nothing_overdue_sends_nothing_but_records_the_day(invitation_queue, sam, django_capture_on_commit_callbacks):
    waiting_since(1)
    with django_capture_on_commit_callbacks(execute=True):
        digest = send_staff_digest()
    assert (digest.overdue_count, digest.recipient_count) == (0, 0)
    assert not mail.outbox


def test_the_digest_runs_every_day_from_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["staff-queue-digest"]
    assert entry["task"] == send_staff_queue_digest.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {0})


def test_a_digest_threshold_below_one_day_stops_start_up():
    from tests.portal.test_settings import _django

    result = _django({"PORTAL_ENV": "test", "STAFF_QUEUE_OVERDUE_DAYS": "0"}, "check")
    assert result.returncode != 0 and "STAFF_QUEUE_OVERDUE_DAYS must be 1 or more" in result.stderr
