"""The response window and the solicitation delay the marketplace applies are the scoring policy's
numbers: publishing a new version changes them at once, with no second copy in the settings."""

import datetime

import pytest
from django.utils import timezone

from marketplace.models import Review
from marketplace.reviews.solicitation import due_review_requests
from scoring.policy.services import publish_policy
from tests.factories import IntegrationFactory
from tests.scoring.world import review, subscription

pytestmark = pytest.mark.django_db


def test_a_published_response_window_is_the_one_a_review_is_answered_and_disputed_within(sam):
    written = review(IntegrationFactory(), created=timezone.now() - datetime.timedelta(days=10))
    assert Review.objects.get(pk=written.pk).in_response_window()  # the default 14 days
    publish_policy({"response_window_days": 7}, acting_user=sam)
    assert not Review.objects.get(pk=written.pk).in_response_window()
    publish_policy({"response_window_days": 21}, acting_user=sam)
    review_now = Review.objects.get(pk=written.pk)
    assert review_now.in_response_window()
    assert review_now.created_at + datetime.timedelta(days=21) == review_now.response_deadline


def test_a_published_solicitation_delay_is_when_subscribers_are_asked_for_a_review(sam):
    now = timezone.now()
    subscribed = subscription(IntegrationFactory(), started=now - datetime.timedelta(days=20))
    assert subscribed not in due_review_requests(now)  # the default 30 days
    publish_policy({"solicitation_delay_days": 14}, acting_user=sam)
    assert subscribed in due_review_requests(now)
