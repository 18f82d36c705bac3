"""A week before a run would hide an integration (its score within the deductions that apply
next), the integrator is warned by email, once, and on the dashboard."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.listings.services import set_score_and_visibility, set_scores_and_visibility
from marketplace.models import Review
from portal.models import AuditEvent
from portal.services import record
from scoring.models import ScoreSnapshot, ScoringPolicy, ScoringRun
from scoring.templatetags.scoring_alerts import ALERTS_SHOWN
from scoring.warnings.services import lift_warnings, warn_before_hiding
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


def dashboard(user) -> str:
    return client_for(user).get(reverse("integration_dashboard")).content.decode()


def hide_panel(page: str) -> str:
    return page.split('id="hide-warnings-heading"')[1].split("</section>")[0]


def test_the_dashboard_shows_the_recorded_warning(heading_down, alice):
    warn_before_hiding()
    page = dashboard(alice)
    assert "About to be hidden from the marketplace" in page and "Heading down" in page
    assert "would score it <strong>50</strong>, below 60," in page and "scores 80 now" in page


def test_the_integration_page_shows_its_standing_warning(heading_down, alice):
    integration_page = reverse("integration_detail", args=[heading_down.slug])
    assert "About to be hidden" not in client_for(alice).get(integration_page).content.decode()
    warn_before_hiding()
    page = client_for(alice).get(integration_page).content.decode()
    assert "About to be hidden from the marketplace." in page and "would score it <strong>50</strong>, below 60" in page


def test_the_dashboard_shows_no_warning_the_daily_task_did_not_record(heading_down, alice):
    """The dashboard reads the recorded warnings: it does not run the engine itself."""
    assert "About to be hidden" not in dashboard(alice)


def test_an_unwarned_integration_is_not_on_the_panel(heading_down, northwind, alice):
    safe = IntegrationFactory(owner=northwind, name="Safe and sound", tier=1)
    set_score_and_visibility(safe, score=100, visibility="listed", cause="the run of today")
    warn_before_hiding()
    page = dashboard(alice)
    assert "Heading down" in page and "1 integration would leave" in page
    assert "Safe and sound" not in hide_panel(page)


def test_another_organizations_warning_never_appears(heading_down, alice, bob, bluebird):
    theirs = IntegrationFactory(owner=bluebird, name="Bluebird at risk", slug="bluebird-at-risk", tier=1)
    set_score_and_visibility(theirs, score=70, visibility="listed", cause="the run of today")
    warned(theirs, bluebird)
    warn_before_hiding()
    mine = dashboard(alice) + client_for(alice).get(reverse("hide_warning_list")).content.decode()
    assert "Heading down" in mine and "Bluebird at risk" not in mine
    theirs_page = dashboard(bob)
    assert "Bluebird at risk" in theirs_page and "Heading down" not in theirs_page


def test_the_warning_leaves_the_dashboard_once_a_run_hides_the_integration(heading_down, alice):
    warn_before_hiding()
    set_score_and_visibility(heading_down, score=50, visibility="hidden", cause="score 50 is below 60")
    assert "About to be hidden" not in dashboard(alice)


def scored(integration, day: datetime.date, score: int) -> None:
    policy = ScoringPolicy.current()
    run = ScoringRun.objects.create(policy=policy, day=day, state="done", active=None)
    ScoreSnapshot.objects.create(integration=integration, day=day, run=run, score=score, visibility="listed")


def test_the_warning_leaves_the_dashboard_once_the_run_it_spoke_of_left_it_listed(heading_down, alice):
    warn_before_hiding()
    day = timezone.localdate() + datetime.timedelta(days=7)
    scored(heading_down, day, 65)
    assert "About to be hidden" not in dashboard(alice)


def test_a_run_before_the_day_warned_of_keeps_the_warning(heading_down, alice):
    warn_before_hiding()
    day = timezone.localdate() + datetime.timedelta(days=1)
    scored(heading_down, day, 80)
    assert "Heading down" in dashboard(alice)


def test_the_daily_task_lifts_the_warning_once_the_causes_are_fixed_and_warns_again_on_a_new_fall(
    heading_down, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        warn_before_hiding()
    Review.objects.filter(integration=heading_down).update(answered_at=timezone.now(), answer="We fixed it.")
    assert warn_before_hiding() == 0
    assert AuditEvent.objects.filter(kind="score.hide_warning_lifted", target_id=heading_down.pk).count() == 1
    assert "About to be hidden" not in dashboard(alice)
    Review.objects.filter(integration=heading_down).update(answered_at=None, answer="")
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_before_hiding() == 1
    assert len(warned_mail()) == 2 and "Heading down" in dashboard(alice)


def warned(integration, owner, *, score_then="50"):
    record(
        actor=None,
        kind="score.hide_warned",
        organization=owner,
        target=integration,
        from_state="80",
        to_state=score_then,
        comment="the run a week ahead would hide it",
    )


def at_risk(owner, count: int, *, first: int = 0) -> None:
    names = [f"At risk {n:02}" for n in range(first, first + count)]
    integrations = [IntegrationFactory(owner=owner, name=name, tier=1) for name in names]
    set_scores_and_visibility({each.pk: (80, "listed", "the run of today") for each in integrations})
    for each in integrations:
        warned(each, owner)


def test_the_panel_costs_the_same_queries_however_many_integrations_are_warned(
    northwind, alice, django_assert_max_num_queries, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # both visits work the version alerts out, none reads them kept
    ScoringPolicy.current()
    at_risk(northwind, 1)
    client = client_for(alice)
    client.get(reverse("integration_dashboard"))
    with django_assert_max_num_queries(40) as one:
        client.get(reverse("integration_dashboard"))
    at_risk(northwind, ALERTS_SHOWN + 4, first=1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("integration_dashboard")).content.decode()
    panel = hide_panel(page)
    assert f"{ALERTS_SHOWN + 5} integrations would leave" in panel
    assert panel.count("<li>") == ALERTS_SHOWN
    assert f"Show all {ALERTS_SHOWN + 5} integrations about to be hidden" in panel


def test_the_show_all_page_lists_every_warning_a_page_at_a_time(
    northwind, alice, monkeypatch, django_assert_max_num_queries
):
    from scoring.warnings import views

    monkeypatch.setattr(views, "WARNINGS_PER_PAGE", 10)
    ScoringPolicy.current()
    at_risk(northwind, 25)
    client = client_for(alice)
    with django_assert_max_num_queries(25):
        first = client.get(reverse("hide_warning_list")).content.decode()
    last = client.get(reverse("hide_warning_list"), {"page": 3}).content.decode()
    assert "At risk 00" in first and "At risk 10" not in first and "Page 1 of 3" in first
    assert "At risk 24" in last and "At risk 19" not in last


def test_nobody_is_warned_when_the_week_changes_nothing(northwind, alice):
    ScoringPolicy.current()
    integration = IntegrationFactory(owner=northwind, tier=1)
    set_score_and_visibility(integration, score=100, visibility="listed", cause="the run of today")
    assert warn_before_hiding() == 0


def test_the_kept_panel_follows_the_warning_task_and_the_runs(heading_down, alice, settings):
    """The dashboard keeps its warnings under the public content's generation: recording a
    warning, a run that hides the integration and a lifted warning each show at the next visit."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 120
    assert "About to be hidden" not in dashboard(alice)
    assert "About to be hidden" not in dashboard(alice)  # kept
    warn_before_hiding()
    assert "Heading down" in hide_panel(dashboard(alice))
    set_score_and_visibility(heading_down, score=50, visibility="hidden", cause="score 50 is below 60")
    assert "About to be hidden" not in dashboard(alice)


def test_a_lifted_warning_leaves_the_kept_panel(heading_down, alice, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 120
    warn_before_hiding()
    assert "Heading down" in hide_panel(dashboard(alice))
    assert lift_warnings(heading=set()) == 1
    assert "About to be hidden" not in dashboard(alice)
