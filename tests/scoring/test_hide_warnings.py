"""A week before a run would hide an integration (its score within the deductions that apply
next), the integrator is warned by email, once, and on the dashboard."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.listings.services import set_score_and_visibility
from scoring.models import ScoringPolicy
from scoring.warnings.services import warn_before_hiding
from tests.conftest import client_for
from tests.factories import IntegrationFactory
from tests.scoring.world import application_version, published_version, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def heading_down(northwind, alice):
    """Behind on versions (-20) and listed at 80, with seven negative reviews whose response
    window ends within the week: the run a week ahead counts them (-30, the cap) and scores 50."""
    ScoringPolicy.current()
    integration = IntegrationFactory(owner=northwind, name="Heading down", slug="heading-down", tier=1)
    application_version(integration.application, "2.5.x", datetime.date(2026, 1, 5))
    published_version(integration)
    now = timezone.now()
    for _ in range(7):
        review(integration, created=now - datetime.timedelta(days=10))
    set_score_and_visibility(integration, score=80, visibility="listed", cause="the run of today")
    return integration


def warned_mail():
    return [m for m in mail.outbox if "would be hidden" in m.subject]


def test_the_integrator_is_warned_a_week_ahead(heading_down, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_before_hiding() == 1
    [message] = warned_mail()
    assert message.to == [alice.email]
    assert "scores 80 today" in message.body and "would score it 50, below 60" in message.body


def test_the_warning_goes_once(heading_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        warn_before_hiding()
        assert warn_before_hiding() == 0
    assert len(warned_mail()) == 1


def test_the_dashboard_shows_the_warning(heading_down, alice):
    page = client_for(alice).get(reverse("integration_dashboard")).content.decode()
    assert "About to be hidden from the marketplace" in page and "Heading down" in page


def test_nobody_is_warned_when_the_week_changes_nothing(northwind, alice):
    ScoringPolicy.current()
    integration = IntegrationFactory(owner=northwind, tier=1)
    set_score_and_visibility(integration, score=100, visibility="listed", cause="the run of today")
    assert warn_before_hiding() == 0
