"""Staff decisions on workflow templates, the One-Click rule they feed, emails after commit, and
carrying templates over to a new version."""

import pytest
from django.core import mail

from certification.workflow_templates import services
from certification.workflow_templates.models import TemplateStatus, WorkflowTemplate
from integrations.models import Tier, TierChange
from integrations.tiers import engine as tiers
from integrations.workspace import services as workspace_services
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.certification.workflow_templates import world
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(certified, misty, summit):
    return world.submit(certified[1], misty, summit)


def test_approval_makes_the_version_and_the_integration_one_click(certified, submitted, sam):
    integration, version = certified
    services.approve_workflow_template(submitted, acting_user=sam, comment="Clear steps.")
    version.refresh_from_db()
    integration.refresh_from_db()
    assert (version.tier, integration.tier) == (Tier.ONE_CLICK, Tier.ONE_CLICK)
    change = TierChange.objects.filter(integration=integration).first()
    assert (change.to_tier, "workflow template" in change.cause) == (Tier.ONE_CLICK, True)
    assert AuditEvent.objects.filter(kind="workflow_template.approved", actor=sam, comment="Clear steps.").exists()


def test_the_one_click_rule_fails_without_an_approved_template_and_names_it_with_one(certified, submitted, sam):
    _, version = certified
    rule = next(r for c in tiers.evaluate(version) if c.tier == Tier.ONE_CLICK for r in c.results)
    assert (rule[0].code, rule[1].passed) == ("workflow_templates_approved", False)
    services.approve_workflow_template(submitted, acting_user=sam)
    [(_, result)] = next(c for c in tiers.evaluate(version) if c.tier == Tier.ONE_CLICK).results
    assert result.passed and submitted.name in result.message


def test_an_approved_template_on_a_version_that_is_not_certified_gives_no_one_click(northwind, alice, misty, summit):
    from tests.integrations import tier_world

    _, version = tier_world.ready_integration(northwind, alice)
    WorkflowTemplate.objects.create(
        version=version, organization=summit, name="t", description="d", definition={}, status="approved"
    )
    assert tiers.reached_tier(tiers.evaluate(version)) < Tier.CERTIFIED


def test_a_rejection_needs_a_comment_and_changes_nothing_without_one(submitted, sam):
    with pytest.raises(ActionRefused, match="Write a comment"):
        services.reject_workflow_template(submitted, acting_user=sam, comment="  ")
    submitted.refresh_from_db()
    assert submitted.status == TemplateStatus.SUBMITTED


def test_a_rejection_keeps_the_tier_and_tells_the_submitter(
    certified, submitted, sam, misty, django_capture_on_commit_callbacks
):
    _, version = certified
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_workflow_template(submitted, acting_user=sam, comment="Name the ERP.")
    version.refresh_from_db()
    assert version.tier == Tier.CERTIFIED
    [message] = [m for m in mail.outbox if misty.email in m.to]
    assert "Rejected" in message.subject and "Name the ERP." in message.body


def test_a_decided_template_cannot_be_decided_again(submitted, sam):
    services.approve_workflow_template(submitted, acting_user=sam)
    with pytest.raises(ActionRefused, match="already approved"):
        services.reject_workflow_template(submitted, acting_user=sam, comment="Too late.")


def test_staff_of_the_submitting_organization_cannot_decide(submitted, sam, summit):
    MembershipFactory(user=sam, organization=summit)
    with pytest.raises(ActionRefused, match="another member of staff decides"):
        services.approve_workflow_template(submitted, acting_user=sam)
    submitted.refresh_from_db()
    assert submitted.status == TemplateStatus.SUBMITTED


def test_someone_who_is_not_staff_cannot_decide(submitted, alice):
    with pytest.raises(ActionRefused, match="Only Red Rook staff"):
        services.approve_workflow_template(submitted, acting_user=alice)


def test_emails_leave_only_after_commit(certified, misty, summit, alice, sam, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        template = world.submit(certified[1], misty, summit)
    assert mail.outbox == [] and callbacks
    with django_capture_on_commit_callbacks(execute=True):  # the mail task is itself enqueued on commit
        for callback in callbacks:
            callback()
    assert [m.to for m in mail.outbox] == [[sam.email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_workflow_template(template, acting_user=sam)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([misty.email, alice.email])


def test_a_new_version_carries_the_approved_templates_over_as_new_submissions(
    certified, submitted, alice, northwind, sam
):
    integration, version = certified
    services.approve_workflow_template(submitted, acting_user=sam)
    newer = world.certified_new_version(version, alice, northwind, sam)
    assert services.carry_over_source(newer) == version
    carried, skipped = services.carry_over_workflow_templates(newer, acting_user=alice, acting_organization=northwind)
    assert skipped == []
    [copy] = carried
    assert (copy.version, copy.status, copy.carried_from, copy.name) == (
        newer,
        TemplateStatus.SUBMITTED,
        submitted,
        submitted.name,
    )
    assert services.carry_over_source(newer) is None
    with pytest.raises(ActionRefused, match="no approved workflow template"):
        services.carry_over_workflow_templates(newer, acting_user=alice, acting_organization=northwind)


def test_a_template_carried_over_to_a_version_not_certified_yet_waits_until_it_is(
    certified, submitted, alice, northwind, sam
):
    _, version = certified
    services.approve_workflow_template(submitted, acting_user=sam)
    newer = workspace_services.start_new_version(version, number="1.1.0", acting_user=alice)
    [carried], skipped = services.carry_over_workflow_templates(newer, acting_user=alice, acting_organization=northwind)
    assert skipped == [] and carried.status == TemplateStatus.SUBMITTED
    with pytest.raises(ActionRefused, match="not Certified yet"):
        services.approve_workflow_template(carried, acting_user=sam)
    assert WorkflowTemplate.objects.get(pk=carried.pk).status == TemplateStatus.SUBMITTED


def test_a_template_not_carried_over_is_refused_for_a_version_not_certified(certified, alice, northwind):
    _, version = certified
    newer = workspace_services.start_new_version(version, number="1.1.0", acting_user=alice)
    with pytest.raises(ActionRefused, match="is not Certified"):
        world.submit(newer, alice, northwind)


def test_staff_of_the_integrations_owner_cannot_decide(submitted, sam, northwind):
    MembershipFactory(user=sam, organization=northwind)
    with pytest.raises(ActionRefused, match="another member of staff decides"):
        services.approve_workflow_template(submitted, acting_user=sam)


def test_a_malformed_stored_definition_is_refused_at_approval_not_crashed(certified, sam):
    template = WorkflowTemplate.objects.create(
        version=certified[1], organization=certified[0].owner, name="By hand", description="d", definition={}
    )
    with pytest.raises(ActionRefused, match="is malformed"):
        services.approve_workflow_template(template, acting_user=sam)
    template.refresh_from_db()
    assert template.status == TemplateStatus.SUBMITTED
