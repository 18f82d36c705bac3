"""Certification requests: who may send one, when, the moves TRANSITIONS allows and the ones it
refuses, each recorded with who, when, from, to and comment."""

import pytest

from certification.models import CertificationRequest, RequestStatus, RequestTransition
from certification.requests import services
from integrations.models import Tier
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.certification import world
from tests.integrations import tier_world

pytestmark = pytest.mark.django_db


def test_a_member_of_the_owner_requests_certification_and_it_is_recorded(certifiable, alice, northwind):
    _, version = certifiable
    request_ = world.submit(version, alice, northwind, message="First review")
    assert request_.status == RequestStatus.SUBMITTED
    move = RequestTransition.objects.get(request=request_)
    assert (move.actor, move.from_status, move.to_status, move.comment) == (alice, "", "submitted", "First review")
    assert AuditEvent.objects.filter(kind="certification_request.submitted", actor=alice).exists()


def test_the_request_is_refused_with_the_failing_rules_when_the_checklist_does_not_pass(northwind, alice):
    _, version = tier_world.ready_integration(northwind, alice)
    with pytest.raises(ActionRefused) as refused:
        world.submit(version, alice, northwind)
    assert "does not pass yet" in str(refused.value)
    assert "Template mappings for every collection and direction" in str(refused.value)
    assert not CertificationRequest.objects.exists()


def test_another_organization_cannot_request_certification_of_a_version(certifiable, bob, bluebird):
    _, version = certifiable
    with pytest.raises(ActionRefused, match="owner organization"):
        world.submit(version, bob, bluebird)
    assert not CertificationRequest.objects.exists()


def test_a_version_has_at_most_one_open_request(certifiable, alice, northwind):
    _, version = certifiable
    world.submit(version, alice, northwind)
    with pytest.raises(ActionRefused, match="already has an open certification request"):
        world.submit(version, alice, northwind)
    assert CertificationRequest.objects.count() == 1


def test_a_request_can_be_withdrawn_while_not_decided_and_then_requested_again(certifiable, alice, northwind):
    _, version = certifiable
    request_ = world.submit(version, alice, northwind)
    services.withdraw_certification_request(request_, acting_user=alice, acting_organization=northwind)
    request_.refresh_from_db()
    assert request_.status == RequestStatus.WITHDRAWN
    assert world.submit(version, alice, northwind).status == RequestStatus.SUBMITTED


def test_a_decided_request_cannot_be_withdrawn_or_decided_again(certifiable, alice, northwind, sam):
    _, version = certifiable
    request_ = world.approve(world.submit(version, alice, northwind), sam)
    with pytest.raises(ActionRefused, match="already approved"):
        services.withdraw_certification_request(request_, acting_user=alice, acting_organization=northwind)
    with pytest.raises(ActionRefused, match="already approved"):
        services.reject_certification_request(request_, acting_user=sam, comment="No")
    assert RequestTransition.objects.filter(request=request_).count() == 2


@pytest.mark.parametrize("decide", [services.request_changes, services.reject_certification_request])
def test_requesting_changes_or_rejecting_needs_a_comment(certifiable, alice, northwind, sam, decide):
    _, version = certifiable
    request_ = world.run_checks(world.submit(version, alice, northwind))
    with pytest.raises(ActionRefused, match="Write a comment"):
        decide(request_, acting_user=sam, comment="  ")
    request_.refresh_from_db()
    assert request_.status == RequestStatus.SUBMITTED


def test_changes_requested_then_answered_runs_the_checks_again(certifiable, alice, northwind, sam):
    _, version = certifiable
    request_ = world.run_checks(world.submit(version, alice, northwind))
    services.request_changes(request_, acting_user=sam, comment="Document the refunds workflow.")
    with pytest.raises(ActionRefused, match="Write a comment"):
        services.resubmit_certification_request(request_, acting_user=alice, acting_organization=northwind, comment="")
    services.resubmit_certification_request(
        request_, acting_user=alice, acting_organization=northwind, comment="Documented."
    )
    request_ = world.run_checks(request_)
    assert (request_.status, request_.round, request_.checks_status) == ("submitted", 2, "done")
    assert [m.to_status for m in request_.transitions.all()] == ["submitted", "changes_requested", "submitted"]


def test_staff_of_the_requesting_organization_cannot_decide(certifiable, alice, northwind, sam):
    _, version = certifiable
    northwind.memberships.create(user=sam, role="member")
    request_ = world.run_checks(world.submit(version, alice, northwind))
    with pytest.raises(ActionRefused, match="another member of staff"):
        services.approve_certification_request(request_, acting_user=sam)
    request_.refresh_from_db()
    assert request_.status == RequestStatus.SUBMITTED


def test_a_person_who_is_not_staff_cannot_decide(certifiable, alice, northwind, bob):
    _, version = certifiable
    request_ = world.run_checks(world.submit(version, alice, northwind))
    with pytest.raises(ActionRefused, match="Only Red Rook staff"):
        services.approve_certification_request(request_, acting_user=bob)


def test_approval_waits_for_the_automated_checks(certifiable, alice, northwind, sam):
    _, version = certifiable
    request_ = world.submit(version, alice, northwind)
    with pytest.raises(ActionRefused, match="not all passed yet"):
        services.approve_certification_request(request_, acting_user=sam)


def test_approval_makes_the_version_and_the_integration_certified(certifiable, alice, northwind, sam):
    integration, version = certifiable
    version.refresh_from_db()
    assert version.tier == Tier.READY
    world.approve(world.submit(version, alice, northwind), sam, comment="Well built.")
    version.refresh_from_db()
    integration.refresh_from_db()
    assert version.tier == Tier.CERTIFIED
    assert integration.tier == Tier.CERTIFIED
    assert integration.tier_changes.filter(to_tier=Tier.CERTIFIED, cause__contains="certified by Sam").exists()
