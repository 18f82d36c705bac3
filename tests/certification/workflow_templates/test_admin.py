"""The staff queue in the admin: waiting templates first, decisions through the actions, and
every refusal shown on the form with nothing changed."""

import pytest

from certification.workflow_templates import services
from certification.workflow_templates.models import TemplateStatus, WorkflowTemplate
from integrations.models import Tier
from portal.models import AuditEvent
from tests.admin_forms import admin_url
from tests.certification.workflow_templates import world
from tests.conftest import client_for
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(certified, misty, summit):
    return world.submit(certified[1], misty, summit)


def decide(staff, template, decision, comment=""):
    url = admin_url(WorkflowTemplate, "change", template.pk)
    return client_for(staff).post(url, {"decision": decision, "comment": comment})


def test_staff_approve_in_the_admin_and_the_integration_is_one_click(certified, submitted, sam):
    response = decide(sam, submitted, "approve", "Good.")
    submitted.refresh_from_db()
    certified[0].refresh_from_db()
    assert response.status_code == 302
    assert (submitted.status, submitted.decided_by, certified[0].tier) == (TemplateStatus.APPROVED, sam, Tier.ONE_CLICK)
    assert AuditEvent.objects.filter(kind="workflow_template.approved", actor=sam).exists()


def test_a_rejection_without_a_comment_comes_back_with_the_message(submitted, sam):
    response = decide(sam, submitted, "reject")
    submitted.refresh_from_db()
    assert response.status_code == 200 and "Write a comment" in response.content.decode()
    assert submitted.status == TemplateStatus.SUBMITTED


def test_the_second_of_two_decisions_sees_the_first_and_changes_nothing(submitted, sam):
    decide(sam, submitted, "approve")
    response = decide(sam, submitted, "reject", "Too vague.")
    submitted.refresh_from_db()
    assert submitted.status == TemplateStatus.APPROVED
    assert response.status_code == 200 and "already approved" in response.content.decode()


def test_a_staff_member_of_the_submitting_organization_is_refused(submitted, sam, summit):
    MembershipFactory(user=sam, organization=summit)
    response = decide(sam, submitted, "approve")
    submitted.refresh_from_db()
    assert "another member of staff decides" in response.content.decode()
    assert submitted.status == TemplateStatus.SUBMITTED


def test_the_queue_lists_waiting_templates_first(certified, submitted, misty, summit, sam):
    decided = world.submit(certified[1], misty, summit, name="Older, decided")
    services.reject_workflow_template(decided, acting_user=sam, comment="No.")
    page = client_for(sam).get(admin_url(WorkflowTemplate, "changelist"))
    names = [template.name for template in page.context["cl"].result_list]
    assert names == [submitted.name, "Older, decided"]
