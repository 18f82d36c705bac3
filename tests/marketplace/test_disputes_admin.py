"""Red Rook staff decide a dispute in the admin: a comment is required and exactly one decision wins."""

import pytest
from django.urls import reverse

from marketplace.models import Dispute, DisputeStatus
from marketplace.reviews import services
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.conftest import client_for
from tests.marketplace.customers import membership, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispute(certified, carol, alice):
    subscribe(certified, carol)
    review = services.write_review(certified, membership=membership(carol), stars=1, text="Broken")
    return services.dispute_review(review, membership=membership(alice), reasoning="They never installed it")


def change_url(dispute):
    return reverse("admin:marketplace_dispute_change", args=[dispute.pk])


def test_staff_reject_a_dispute_with_a_comment_and_both_sides_are_told(
    dispute, sam, alice, carol, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post(
            change_url(dispute), {"status": "rejected", "decision_comment": "The logs show it installed"}
        )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.status, dispute.decided_by) == (DisputeStatus.REJECTED, sam)
    assert AuditEvent.objects.filter(kind="dispute.decided", to_state="rejected").count() == 1
    assert {message.to[0] for message in mailoutbox if "rejected" in message.subject} == {alice.email, carol.email}
    content = client_for(None).get(reverse("listing_detail", args=[dispute.review.integration.slug])).content.decode()
    assert "dispute rejected" in content and "The logs show it installed" in content


def test_a_decision_without_a_comment_is_refused_and_nothing_changes(dispute, sam):
    response = client_for(sam).post(change_url(dispute), {"status": "accepted", "decision_comment": ""})
    assert response.status_code == 200
    assert Dispute.objects.get().is_pending


def test_exactly_one_decision_wins(dispute, sam):
    services.decide_dispute(dispute, acting_user=sam, outcome="accepted", comment="Fair")
    with pytest.raises(ActionRefused, match="already been decided"):
        services.decide_dispute(dispute, acting_user=sam, outcome="rejected", comment="Late second click")
    assert Dispute.objects.get().status == DisputeStatus.ACCEPTED
    assert AuditEvent.objects.filter(kind="dispute.decided").count() == 1


def test_a_second_staff_form_posted_after_the_first_decision_says_who_decided_and_when(dispute, sam):
    first = Dispute.objects.get(pk=dispute.pk)
    services.decide_dispute(first, acting_user=sam, outcome="accepted", comment="Fair")
    response = client_for(sam).post(change_url(dispute), {"status": "rejected", "decision_comment": "No"}, follow=True)
    assert response.redirect_chain == [(change_url(dispute), 302)]
    page = response.content.decode()
    assert "Your decision was not applied" in page and "already decided this dispute (accepted)" in page
    assert 'name="status"' not in page  # the page comes back read-only
    assert Dispute.objects.get().status == DisputeStatus.ACCEPTED
