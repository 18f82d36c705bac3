"""Races, proven on PostgreSQL with threads that start together (a barrier): two staff deciding
the same request, a submit racing a withdraw, two starts of a new version with one number."""

import threading

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection

from certification.models import CertificationRequest, RequestStatus, RequestTransition
from certification.requests import services
from integrations.models import IntegrationVersion
from integrations.workspace import services as workspace_services
from portal.services import ActionRefused
from tests.certification import world
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL (SQLite has none)"),
]


def race(*actions) -> list[str]:
    barrier, outcomes = threading.Barrier(len(actions)), []

    def run(action):
        barrier.wait()
        try:
            action()
            outcomes.append("done")
        except ActionRefused as refused:
            outcomes.append(f"refused: {refused}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=[action]) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def rita(db):
    user = UserFactory(email="rita@redrook.example.com", name="Rita Staff", is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def test_two_staff_approving_and_rejecting_at_once_one_decision_wins(certifiable, alice, northwind, sam, rita):
    _, version = certifiable
    request_ = world.run_checks(world.submit(version, alice, northwind))
    outcomes = race(
        lambda: services.approve_certification_request(request_, acting_user=sam),
        lambda: services.reject_certification_request(request_, acting_user=rita, comment="Not yet."),
    )
    assert sorted(o.split(":")[0] for o in outcomes) == ["done", "refused"]
    assert any("already" in o for o in outcomes)
    request_.refresh_from_db()
    assert request_.status in (RequestStatus.APPROVED, RequestStatus.REJECTED)
    assert RequestTransition.objects.filter(request=request_).count() == 2


def test_a_submit_racing_a_withdraw_leaves_one_consistent_state(certifiable, alice, northwind):
    _, version = certifiable
    first = world.submit(version, alice, northwind)
    outcomes = race(
        lambda: services.withdraw_certification_request(first, acting_user=alice, acting_organization=northwind),
        lambda: world.submit(version, alice, northwind),
    )
    open_requests = CertificationRequest.objects.filter(version=version, status__in=["submitted", "changes_requested"])
    assert open_requests.count() <= 1
    first.refresh_from_db()
    assert first.status == RequestStatus.WITHDRAWN
    if outcomes.count("done") == 2:  # the withdraw went first: the new request is the open one
        assert open_requests.get().pk != first.pk
    else:
        assert any("already has an open certification request" in o for o in outcomes)


def test_two_starts_of_a_new_version_with_one_number_make_one_version(certifiable, alice):
    _, version = certifiable
    outcomes = race(
        lambda: workspace_services.start_new_version(version, number="1.1.0", acting_user=alice),
        lambda: workspace_services.start_new_version(version, number="1.1.0", acting_user=alice),
    )
    assert sorted(o.split(":")[0] for o in outcomes) == ["done", "refused"]
    new = IntegrationVersion.objects.get(integration=version.integration, number="1.1.0")
    assert new.template_mappings.count() == version.template_mappings.count()


def test_two_submits_at_once_make_one_request(certifiable, alice, northwind):
    _, version = certifiable
    outcomes = race(lambda: world.submit(version, alice, northwind), lambda: world.submit(version, alice, northwind))
    assert sorted(o.split(":")[0] for o in outcomes) == ["done", "refused"]
    assert CertificationRequest.objects.filter(version=version).count() == 1
