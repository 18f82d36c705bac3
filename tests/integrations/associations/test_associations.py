"""Associations: Bluebird (bob) asks to work on Northwind's integration; Northwind (alice owner,
ivy member) accepts, declines or ends it; an accepted association is a guardian grant."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from integrations.access import get_integration_for_work, granted_integrations, workable_integrations
from integrations.associations import services as association_services
from integrations.associations.selectors import accepted_associations
from integrations.models import Association, AssociationStatus, Tier
from integrations.tiers import engine as tiers
from portal.models import AuditEvent, Role
from portal.services import ActionRefused
from tests.conftest import client_for
from tests.factories import IntegrationFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.integrations.tier_world import compatible_integration, verified_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(integration):
    """The shared Magento integration, Compatible: other integrators may ask to work on it."""
    integration.tier = Tier.COMPATIBLE
    integration.save(update_fields=["tier"])
    return integration


@pytest.fixture
def pending(integration, bob, bluebird):
    return Association.objects.create(
        integration=integration, organization=bluebird, requested_by=bob, message="We know Magento well."
    )


def ask(user, integration, message="We build Magento connectors."):
    return client_for(user).post(reverse("association_request", args=[integration.slug]), {"message": message})


def decide(user, association, decision):
    url = reverse("association_decide", args=[association.integration.slug, association.public_id])
    return client_for(user).post(url, {"decision": decision})


def works_on(user, organization, integration) -> bool:
    request = RequestFactory().get("/")
    request.user, request.organization = user, organization
    try:
        get_integration_for_work(request, integration.slug)
    except Http404:
        return False
    return True


# --- Asking -------------------------------------------------------------------------------


def test_an_integrator_of_another_organization_asks_to_work_on_a_listed_integration(
    integration, alice, bob, bluebird, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(bob, integration)
    assert response.status_code == 302
    association = Association.objects.get()
    assert (association.organization, association.status, association.requested_by) == (
        bluebird,
        AssociationStatus.PENDING,
        bob,
    )
    assert association.message == "We build Magento connectors."
    assert AuditEvent.objects.filter(kind="association.requested", actor=bob).exists()
    assert [message.to for message in mail.outbox] == [[alice.email]]
    assert "Bluebird Connect asks to work on Magento by Northwind" in mail.outbox[0].subject


def test_the_owners_owners_and_admins_are_emailed_but_not_plain_members(
    integration, alice, ivy, bob, northwind, django_capture_on_commit_callbacks
):
    admin = UserFactory(email="ada@northwind.example.com")
    MembershipFactory(user=admin, organization=northwind, role=Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        ask(bob, integration)
    assert sorted(message.to[0] for message in mail.outbox) == [admin.email, alice.email]


def test_no_email_leaves_when_the_request_is_rolled_back(integration, bob, bluebird):
    from django.db import transaction

    with transaction.atomic():
        association_services.request_association(integration, organization=bluebird, acting_user=bob)
        transaction.set_rollback(True)
    assert mail.outbox == [] and not Association.objects.exists()


def test_a_second_request_is_refused_while_one_is_pending_or_accepted(integration, pending, bob):
    response = client_for(bob).post(
        reverse("association_request", args=[integration.slug]), {"message": ""}, follow=True
    )
    assert "has already asked to work on Magento by Northwind" in response.content.decode()
    Association.objects.filter(pk=pending.pk).update(status=AssociationStatus.ACCEPTED)
    response = client_for(bob).post(reverse("association_request", args=[integration.slug]), {}, follow=True)
    assert "is already associated with" in response.content.decode()
    assert Association.objects.count() == 1


def test_asking_again_after_a_decline_is_allowed(integration, pending, bob):
    Association.objects.filter(pk=pending.pk).update(status=AssociationStatus.DECLINED)
    ask(bob, integration)
    assert Association.objects.filter(status=AssociationStatus.PENDING).count() == 1


def test_an_organization_that_is_not_an_integrator_is_refused(integration, carol):
    assert ask(carol, integration).status_code == 403
    assert not Association.objects.exists()


def test_an_integration_below_compatible_is_404_to_other_organizations(integration, bob):
    integration.tier = Tier.NONE
    integration.save(update_fields=["tier"])
    assert client_for(bob).get(reverse("association_request", args=[integration.slug])).status_code == 404
    assert ask(bob, integration).status_code == 404


def test_the_owner_is_sent_to_its_requests_page(integration, alice):
    response = client_for(alice).get(reverse("association_request", args=[integration.slug]))
    assert response["Location"] == reverse("integration_associations", args=[integration.slug])


def test_the_requester_withdraws_a_pending_request(integration, pending, bob):
    url = reverse("association_withdraw", args=[integration.slug, pending.public_id])
    assert client_for(bob).post(url).status_code == 302
    pending.refresh_from_db()
    assert pending.status == AssociationStatus.WITHDRAWN
    assert AuditEvent.objects.filter(kind="association.withdrawn", actor=bob).exists()


def test_nobody_else_withdraws_a_request(integration, pending, alice, misty):
    url = reverse("association_withdraw", args=[integration.slug, pending.public_id])
    assert client_for(alice).post(url).status_code == 404
    assert client_for(misty).post(url).status_code == 404
    assert Association.objects.get(pk=pending.pk).status == AssociationStatus.PENDING


# --- Deciding -----------------------------------------------------------------------------


def test_accepting_grants_access_to_the_requesting_organization(
    integration, pending, alice, bob, bluebird, django_capture_on_commit_callbacks
):
    assert not works_on(bob, bluebird, integration)
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(alice, pending, "accept").status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (AssociationStatus.ACCEPTED, alice)
    assert works_on(bob, bluebird, integration)
    assert client_for(bob).get(reverse("integration_inbox", args=[integration.slug])).status_code == 200
    assert AuditEvent.objects.filter(kind="association.accepted", actor=alice).exists()
    assert [message.to for message in mail.outbox] == [[bob.email]]
    assert "was accepted" in mail.outbox[0].subject


def test_the_grant_does_not_reach_a_third_organization(integration, pending, alice, misty, summit):
    decide(alice, pending, "accept")
    assert not works_on(misty, summit, integration)
    assert client_for(misty).get(reverse("integration_inbox", args=[integration.slug])).status_code == 404
    assert client_for(misty).get(reverse("integration_associations", args=[integration.slug])).status_code == 404


def test_declining_grants_nothing_and_tells_the_requester(
    integration, pending, alice, bob, bluebird, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(alice, pending, "decline")
    pending.refresh_from_db()
    assert pending.status == AssociationStatus.DECLINED
    assert not works_on(bob, bluebird, integration)
    assert "was declined" in mail.outbox[-1].subject and mail.outbox[-1].to == [bob.email]


def test_ending_an_association_revokes_access_at_once(integration, pending, alice, bob, bluebird):
    decide(alice, pending, "accept")
    assert works_on(bob, bluebird, integration)
    assert decide(alice, pending, "end").status_code == 302
    pending.refresh_from_db()
    assert pending.status == AssociationStatus.ENDED
    assert not works_on(bob, bluebird, integration)
    assert client_for(bob).get(reverse("integration_inbox", args=[integration.slug])).status_code == 404
    assert AuditEvent.objects.filter(kind="association.ended", actor=alice).exists()


def test_a_plain_member_of_the_owner_cannot_decide(integration, pending, ivy):
    assert decide(ivy, pending, "accept").status_code == 403
    assert Association.objects.get(pk=pending.pk).status == AssociationStatus.PENDING


def test_the_requester_cannot_decide_its_own_request(integration, pending, bob):
    assert decide(bob, pending, "accept").status_code == 404
    assert Association.objects.get(pk=pending.pk).status == AssociationStatus.PENDING


def test_an_associated_organization_cannot_see_the_requests_page(integration, pending, alice, bob):
    decide(alice, pending, "accept")
    assert client_for(bob).get(reverse("integration_associations", args=[integration.slug])).status_code == 403
    assert decide(bob, pending, "end").status_code == 403


def test_an_unknown_decision_is_refused_with_a_message(integration, pending, alice):
    response = client_for(alice).post(
        reverse("association_decide", args=[integration.slug, pending.public_id]), {"decision": "maybe"}, follow=True
    )
    assert "Choose accept, decline or end." in response.content.decode()
    assert Association.objects.get(pk=pending.pk).status == AssociationStatus.PENDING


def test_a_decided_request_cannot_be_decided_again(integration, pending, alice):
    association_services.decide_association(pending, acting_user=alice, decision="decline")
    with pytest.raises(ActionRefused, match="already declined"):
        association_services.decide_association(pending, acting_user=alice, decision="accept")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL (SQLite has none)")
def test_two_owners_accepting_at_once_apply_it_once(integration, pending, alice):
    barrier, outcomes = threading.Barrier(2), []

    def accept():
        barrier.wait()
        try:
            association_services.decide_association(pending, acting_user=alice, decision="accept")
            outcomes.append("accepted")
        except ActionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "refused"]
    assert AuditEvent.objects.filter(kind="association.accepted").count() == 1


# --- Tiers and the integrators section ----------------------------------------------------


def test_accepting_and_ending_recompute_the_tier_through_the_integrator_rule(alice, bob, bluebird, northwind):
    integration, version = compatible_integration(owner=northwind)
    northwind.is_integrator = False  # a provider building its own: the Ready rule needs an associated integrator
    northwind.save(update_fields=["is_integrator"])
    verified_event(integration)
    version.ready_designated_at = version.created_at
    version.save(update_fields=["ready_designated_at"])
    tiers.recompute(integration, cause="setup")
    integration.refresh_from_db()
    assert integration.tier == Tier.COMPATIBLE
    association = association_services.request_association(integration, organization=bluebird, acting_user=bob)
    association_services.decide_association(association, acting_user=alice, decision="accept")
    integration.refresh_from_db()
    assert integration.tier == Tier.READY
    assert integration.tier_changes.first().cause == "Integrator associated: Bluebird Connect"
    association_services.decide_association(association, acting_user=alice, decision="end")
    integration.refresh_from_db()
    assert integration.tier == Tier.COMPATIBLE


def test_the_integrators_section_shows_accepted_integrators_widgets(integration, pending, alice, bluebird):
    decide(alice, pending, "accept")
    IntegrationFactory(owner=bluebird, tier=Tier.CERTIFIED)
    content = client_for(alice).get(reverse("integration_associations", args=[integration.slug])).content.decode()
    assert 'id="integrators-heading"' in content
    assert f'id="integrator-{bluebird.public_id}"' in content
    assert reverse("integrator_profile", args=[bluebird.slug]) in content
    widget = accepted_associations(integration).get()
    assert (widget.integration_count, widget.certified_count) == (2, 1)  # its own, and this one


def test_the_requests_page_query_count_does_not_grow(integration, alice, django_assert_max_num_queries):
    for n in range(8):
        organization = OrganizationFactory(is_integrator=True)
        status = AssociationStatus.ACCEPTED if n % 2 else AssociationStatus.PENDING
        Association.objects.create(integration=integration, organization=organization, status=status)
    client = client_for(alice)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("integration_associations", args=[integration.slug])).status_code == 200


# --- The permission group grants are given to ------------------------------------------------


def test_reading_grants_of_an_organization_without_a_group_finds_none_and_creates_none(integration, bob, bluebird):
    """Deleting the group (in the admin, say) deletes guardian's grants to it: no group is no grant."""
    bluebird.permission_group.delete()
    bluebird.refresh_from_db()
    groups = Group.objects.count()
    assert not works_on(bob, bluebird, integration)
    assert not granted_integrations(bluebird).exists() and not workable_integrations(bluebird).exists()
    assert client_for(bob).get(reverse("integration_dashboard")).status_code == 200
    bluebird.refresh_from_db()
    assert bluebird.permission_group is None and Group.objects.count() == groups


def test_accepting_an_organization_whose_group_was_deleted_makes_it_again(integration, pending, alice, bob, bluebird):
    bluebird.permission_group.delete()
    decide(alice, pending, "accept")
    bluebird.refresh_from_db()
    assert bluebird.permission_group is not None
    assert works_on(bob, bluebird, integration)
