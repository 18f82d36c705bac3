"""Decisions and submissions that race, on PostgreSQL, with threads that start together."""

import threading

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection

from certification.workflow_templates import services
from certification.workflow_templates.models import WorkflowTemplate
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.certification.workflow_templates import world
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL (SQLite has none)"),
]


def race(*actions) -> list[str]:
    """Runs the actions in threads released together; each outcome is "done" or "refused"."""
    barrier, outcomes = threading.Barrier(len(actions)), []

    def run(action):
        barrier.wait()
        try:
            action()
            outcomes.append("done")
        except ActionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_staff_approving_and_rejecting_at_once_one_decision_wins(certified, misty, summit, sam):
    rex = UserFactory(email="rex@redrook.example.com", is_staff=True, is_superuser=True)
    TOTP.activate(rex, generate_totp_secret())
    template = world.submit(certified[1], misty, summit)
    outcomes = race(
        lambda: services.approve_workflow_template(template, acting_user=sam),
        lambda: services.reject_workflow_template(template, acting_user=rex, comment="Too vague."),
    )
    assert outcomes == ["done", "refused"]
    template.refresh_from_db()
    decisions = AuditEvent.objects.filter(kind__in=["workflow_template.approved", "workflow_template.rejected"])
    assert [event.kind for event in decisions] == [f"workflow_template.{template.status}"]


def test_the_same_template_submitted_twice_at_once_is_saved_once(certified, misty, summit):
    outcomes = race(
        lambda: world.submit(certified[1], misty, summit),
        lambda: world.submit(certified[1], misty, summit),
    )
    assert outcomes == ["done", "refused"]
    assert WorkflowTemplate.objects.count() == 1
    assert AuditEvent.objects.filter(kind="workflow_template.submitted").count() == 1
