"""The automated checks stored per request (name, outcome, message, evidence), the Red Rook
automation on re-certification, the Certified rule the approval makes pass, and the emails sent
only once a transition has committed."""

import pytest
from django.core import mail
from django.utils import timezone

from certification.models import CheckResult, RequestStatus
from certification.requests import runner, services
from integrations.mappings import services as mapping_services
from integrations.mappings.deletion import delete_template_mapping
from integrations.models import Direction, Tier, TierChange
from integrations.tiers import engine as tiers
from integrations.workspace import services as workspace_services
from tests.certification import world
from tests.integrations import tier_world

pytestmark = pytest.mark.django_db


def test_the_checks_store_every_rule_each_mapping_test_the_document_and_each_scope(certifiable, alice, northwind):
    _, version = certifiable
    request_ = world.run_checks(world.submit(version, alice, northwind))
    assert (request_.checks_status, request_.checks_failed) == ("done", 0)
    results = list(CheckResult.objects.filter(request=request_))
    kinds = [result.kind for result in results]
    assert kinds.count("test") == 2 and kinds.count("openapi") == 1 and kinds.count("scope") == 1
    assert "certification_approved" not in [r.evidence.get("rule") for r in results]
    assert all(result.passed for result in results)
    test_result = next(r for r in results if r.kind == "test")
    assert test_result.evidence["mapping_revision"] >= 1
    assert next(r for r in results if r.kind == "scope").evidence["webhook_id"] == "msg_1"


def test_a_mapping_test_is_run_afresh_not_read_from_the_last_run(certifiable, alice, northwind):
    """A test changed after its last run fails in the checks even though that run passed."""
    _, version = certifiable
    request_ = world.submit(version, alice, northwind)
    test = version.template_mappings.get(direction=Direction.TO_IPAAS).tests.get()
    type(test).objects.filter(pk=test.pk).update(expected={"Email": "someone@else.example.com"})
    request_ = world.run_checks(request_)
    failed = CheckResult.objects.get(request=request_, kind="test", outcome="fail")
    assert "differs" in failed.message and failed.evidence["differences"]
    assert request_.checks_failed == 1


def test_running_the_checks_twice_stores_them_once(certifiable, alice, northwind):
    _, version = certifiable
    request_ = world.run_checks(world.submit(version, alice, northwind))
    count = CheckResult.objects.filter(request=request_).count()
    assert runner.run_certification_checks(request_.pk, request_.round) is None
    assert CheckResult.objects.filter(request=request_).count() == count


def test_a_late_task_of_an_earlier_round_changes_nothing(certifiable, alice, northwind, sam):
    _, version = certifiable
    request_ = world.run_checks(world.submit(version, alice, northwind))
    services.request_changes(request_, acting_user=sam, comment="More tests.")
    services.resubmit_certification_request(request_, acting_user=alice, acting_organization=northwind, comment="ok")
    assert runner.run_certification_checks(request_.pk, 1) is None
    request_.refresh_from_db()
    assert (request_.round, request_.checks_status) == (2, "queued")


def test_the_approval_makes_the_registered_certified_rule_pass(certifiable, alice, northwind, sam):
    _, version = certifiable
    rule = {r.code: res for c in tiers.evaluate(version) for r, res in c.results}["certification_approved"]
    assert not rule.passed
    world.approve(world.submit(version, alice, northwind), sam)
    rule = {r.code: res for c in tiers.evaluate(version) for r, res in c.results}["certification_approved"]
    assert rule.passed and "approved by Red Rook staff" in rule.message


@pytest.fixture
def recertifying(certifiable, alice, northwind, sam):
    """Version 1.0.0 certified; 1.1.0 started from it as a draft, designated ready, its tests run."""
    integration, version = certifiable
    world.approve(world.submit(version, alice, northwind), sam)
    new = workspace_services.start_new_version(version, number="1.1.0", acting_user=alice)
    new.ready_designated_by, new.ready_designated_at = alice, timezone.now()  # as tier_world designates
    new.save(update_fields=["ready_designated_by", "ready_designated_at"])
    tier_world.run_tests(new, alice)
    return integration, version, new


def test_the_automation_approves_a_compatible_new_version(recertifying, alice, northwind):
    integration, _, new = recertifying
    request_ = world.run_checks(world.submit(new, alice, northwind))
    assert request_.status == RequestStatus.APPROVED and request_.decided_by_automation
    move = request_.transitions.last()
    assert (move.actor, move.actor_name, move.by_automation) == (None, services.AUTOMATION, True)
    new.refresh_from_db()
    integration.refresh_from_db()
    assert new.tier == Tier.CERTIFIED and integration.tier == Tier.CERTIFIED


def test_the_automation_leaves_a_version_that_drops_a_direction_to_staff(recertifying, alice, northwind):
    integration, _, new = recertifying
    dropped = new.template_mappings.get(direction=Direction.FROM_IPAAS)
    delete_template_mapping(dropped, acting_user=alice, expected_revision=dropped.revision)
    link = integration.foreign_objects.get(name="Customers").link
    mapping_services.link_foreign_object(
        link.foreign_object, acting_user=alice, collection=link.collection, to_ipaas_methods=["GET"],
        from_ipaas_methods=[],
    )
    request_ = world.run_checks(world.submit(new, alice, northwind))
    assert request_.status == RequestStatus.SUBMITTED
    assert "Customer From iPaaS is no longer moved" in request_.queue_reason.replace("customer", "Customer")


def test_the_automation_leaves_a_first_certification_to_staff(certifiable, alice, northwind):
    _, version = certifiable
    request_ = world.run_checks(world.submit(version, alice, northwind))
    assert request_.status == RequestStatus.SUBMITTED
    assert "first certification" in request_.queue_reason


def test_rejecting_a_new_version_keeps_the_tier_an_earlier_version_earned(recertifying, alice, northwind, sam):
    integration, version, new = recertifying
    request_ = world.submit(new, alice, northwind)
    test = new.template_mappings.get(direction=Direction.TO_IPAAS).tests.get()
    type(test).objects.filter(pk=test.pk).update(expected={"x": 1})
    request_ = world.run_checks(request_)
    assert request_.status == RequestStatus.SUBMITTED
    services.reject_certification_request(request_, acting_user=sam, comment="Tests fail.")
    version.refresh_from_db()
    integration.refresh_from_db()
    assert version.tier == Tier.CERTIFIED and integration.tier == Tier.CERTIFIED
    assert not TierChange.objects.filter(integration=integration, from_tier=Tier.CERTIFIED).exists()


def test_emails_go_only_once_the_transition_has_committed(
    certifiable, alice, northwind, sam, django_capture_on_commit_callbacks
):
    _, version = certifiable
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        world.submit(version, alice, northwind)
    assert mail.outbox == [] and callbacks
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    subjects = {(m.to[0], m.subject) for m in mail.outbox}
    assert ("alice@northwind.example.com", "[iPaaS.com] Certification of Magento by Northwind 1.0.0: Submitted") in subjects
    assert any(to == sam.email and "Certification requested" in subject for to, subject in subjects)


def test_a_refused_transition_sends_nothing(certifiable, alice, northwind, django_capture_on_commit_callbacks):
    _, version = certifiable
    world.submit(version, alice, northwind)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(services.ActionRefused):
            world.submit(version, alice, northwind)
    assert callbacks == []
