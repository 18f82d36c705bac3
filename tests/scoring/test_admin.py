"""Staff tune the policy (each save a new version, contradictions refused) and start runs."""

import pytest

from portal.models import AuditEvent
from scoring.models import RunState, ScoringPolicy, ScoringRun
from tests.admin_forms import admin_url, form_data
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def edit_policy(sam, **changes):
    policy = ScoringPolicy.current()
    client = client_for(sam)
    page = client.get(admin_url(ScoringPolicy, "change", policy.pk))
    return client.post(admin_url(ScoringPolicy, "change", policy.pk), {**form_data(page), **changes})


def test_editing_the_policy_publishes_a_new_version_and_keeps_the_old_one(sam):
    response = edit_policy(sam, hide_threshold="65")
    assert response.status_code == 302
    assert list(ScoringPolicy.objects.values_list("version", "hide_threshold")) == [(2, 65), (1, 60)]
    event = AuditEvent.objects.get(kind="scoring_policy.published")
    assert event.comment == "hide threshold 60 → 65"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("negative_review_deduction", "-5", "greater than or equal to 0"),
        ("hide_threshold", "120", "threshold cannot be above the start"),
        ("response_window_days", "0", "A window cannot be 0"),
        ("negative_review_cap", "3", "A cap cannot be below one deduction"),
        ("start", "50", "threshold cannot be above the start"),
        ("floor", "101", "less than or equal to 100"),
        ("cancellation_window_days", "0", "A window cannot be 0"),
        ("misrepresentation_window_months", "0", "A window cannot be 0"),
        ("misrepresentation_cap", "4", "A cap cannot be below one deduction"),
        ("cancellation_percent", "0", "Excessive takes a share above 0%"),
        ("small_subscriber_threshold", "0", "This takes at least one subscriber"),
        ("hide_threshold", "not a number", "Enter a whole number"),
    ],
)
def test_a_contradictory_policy_is_refused_with_a_message(sam, field, value, message):
    response = edit_policy(sam, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ScoringPolicy.objects.count() == 1


def test_staff_run_now_queues_a_run_and_a_second_press_is_told_one_is_going(sam):
    client = client_for(sam)
    first = client.post(admin_url(ScoringRun, "run_now"), follow=True)
    assert "is queued" in first.content.decode()
    second = client.post(admin_url(ScoringRun, "run_now"), follow=True)
    assert "A scoring run is going" in second.content.decode()
    run = ScoringRun.objects.get()
    assert (run.state, run.started_by) == (RunState.QUEUED, sam)


def test_the_queued_run_executes_once_the_start_commits(sam, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(sam).post(admin_url(ScoringRun, "run_now"))
    assert ScoringRun.objects.get().state == RunState.DONE
    page = client_for(sam).get(admin_url(ScoringRun, "changelist")).content.decode()
    assert "Run now" in page and "0 scored" in page
