"""Paying subscribers of 30 days who have not reviewed are asked once, however often the task runs."""

import pytest

from marketplace import tasks
from marketplace.reviews import services
from tests.marketplace.customers import membership, subscribe

pytestmark = pytest.mark.django_db


def requests_in(outbox):
    return [message for message in outbox if message.subject.startswith("[iPaaS.com] How is")]


def test_a_subscriber_of_30_days_is_asked_once_even_when_the_task_runs_twice(
    certified, carol, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe(certified, carol, days_ago=31)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_reviews() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_reviews() == 0
    assert [message.to for message in requests_in(mailoutbox)] == [[carol.email]]


def test_a_newer_subscriber_is_not_asked_yet(certified, carol, mailoutbox, django_capture_on_commit_callbacks):
    subscribe(certified, carol, days_ago=29)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_reviews() == 0
    assert not requests_in(mailoutbox)


def test_a_subscriber_who_has_reviewed_is_not_asked(certified, carol, mailoutbox, django_capture_on_commit_callbacks):
    subscribe(certified, carol, days_ago=40)
    services.write_review(certified, membership=membership(carol), stars=5, text="Great")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_reviews() == 0
    assert not requests_in(mailoutbox)


def test_the_task_is_in_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["request-reviews"]["task"] == "marketplace.tasks.request_reviews"
