"""Red Rook staff decide a review's flags on the review's admin page: uphold (the review leaves the
public page and the rating, the reviewer's organization is told) or dismiss; a comment is required,
several flags are decided together, and exactly one decision wins."""

from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.listings.models import Listing
from marketplace.models import Review, ReviewFlag
from marketplace.reviews import services
from marketplace.reviews.models import FlagStatus
from portal import staff_queues
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.concurrency import at_once, postgresql_only
from tests.conftest import client_for
from tests.marketplace.customers import membership, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(certified, carol, bob, misty):
    """Carol's one-star review, flagged by Bob and by Misty; Misty's flag is the newer."""
    subscribe(certified, carol)
    review = services.write_review(certified, membership=membership(carol), stars=1, text="These crooks stole it")
    services.flag_review(review, user=bob, reason="Calls them crooks")
    services.flag_review(review, user=misty, reason="Defamatory")
    review.refresh_from_db()
    return review


def change_url(review):
    return reverse("admin:marketplace_review_change", args=[review.pk])


def decide(user, review, decision, comment, **extra):
    return client_for(user).post(change_url(review), {"decision": decision, "comment": comment, **extra})


def public_page(review) -> str:
    return client_for(None).get(reverse("listing_detail", args=[review.integration.slug])).content.decode()


def test_a_flagged_review_waits_in_the_queue_once_whatever_its_number_of_flags(flagged):
    queue = {q.key: q for q in staff_queues.queues()}["review_flags"]
    assert list(queue.waiting()) == [flagged]
    assert flagged.flagged_at == ReviewFlag.objects.order_by("created_at").first().created_at
    assert queue.decision_url(flagged) == change_url(flagged)


def test_the_admin_home_counts_the_flagged_reviews_and_the_digest_lists_them(flagged, sam):
    home = client_for(sam).get(reverse("admin:index")).content.decode()
    assert "Flagged reviews" in home
    overdue = {q.queue.key: q for q in staff_queues.overdue(0)}
    assert overdue["review_flags"].count == 1
    assert overdue["review_flags"].items[0].decision_url == change_url(flagged)


def test_the_decision_page_shows_the_review_every_flag_and_the_buttons(flagged, sam):
    content = client_for(sam).get(change_url(flagged)).content.decode()
    assert "These crooks stole it" in content
    assert "Calls them crooks" in content and "Defamatory" in content
    assert "Decision on the 2 waiting flags" in content
    assert "Uphold and hide the review" in content and "Dismiss the flags" in content


def test_upholding_hides_the_review_records_the_reason_and_tells_the_reviewer(
    flagged, sam, carol, bob, misty, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(sam, flagged, "resolve", "Insults are not a review")
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.is_hidden and flagged.hidden_reason == "Insults are not a review" and flagged.flagged_at is None
    assert set(ReviewFlag.objects.values_list("status", "decided_by")) == {(FlagStatus.RESOLVED, sam.pk)}
    event = AuditEvent.objects.get(kind="review.flags_resolved")
    assert (event.actor, event.organization, event.comment) == (
        sam,
        flagged.organization,
        "2 flags: Insults are not a review",
    )
    hidden = [m for m in mailoutbox if "is hidden" in m.subject]
    assert [m.to for m in hidden] == [[carol.email]] and "Insults are not a review" in hidden[0].body
    assert {m.to[0] for m in mailoutbox if "Your flag" in m.subject} == {bob.email, misty.email}
    assert "These crooks stole it" not in public_page(flagged)
    listing = Listing.objects.get(integration=flagged.integration)
    assert (listing.rating_count, listing.rating_average) == (0, Decimal("0"))
    assert (
        "hidden your organization's review"
        in client_for(carol).get(reverse("listing_detail", args=[flagged.integration.slug])).content.decode()
    )


def test_dismissing_keeps_the_review_and_needs_a_comment(
    flagged, sam, carol, mailoutbox, django_capture_on_commit_callbacks
):
    decide(sam, flagged, "dismiss", "  ")
    assert ReviewFlag.objects.filter(status=FlagStatus.PENDING).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        decide(sam, flagged, "dismiss", "Harsh but about the product")
    flagged.refresh_from_db()
    assert not flagged.is_hidden and flagged.flagged_at is None
    assert set(ReviewFlag.objects.values_list("status", flat=True)) == {FlagStatus.DISMISSED}
    assert AuditEvent.objects.filter(kind="review.flags_dismissed").count() == 1
    assert not [m for m in mailoutbox if carol.email in m.to]
    assert "These crooks stole it" in public_page(flagged)


def test_a_second_decision_is_refused_with_a_message_and_changes_nothing(flagged, sam):
    decide(sam, flagged, "dismiss", "Fine")
    response = client_for(sam).post(change_url(flagged), {"decision": "resolve", "comment": "Hide"}, follow=True)
    assert "already been decided" in response.content.decode()
    flagged.refresh_from_db()
    assert not flagged.is_hidden
    assert AuditEvent.objects.filter(kind__startswith="review.flags_").count() == 1


def test_a_flag_raised_after_the_page_was_shown_waits_for_its_own_decision(flagged, sam, alice):
    seen = ReviewFlag.objects.order_by("pk").last().pk
    services.flag_review(flagged, user=alice, reason="Raised meanwhile")
    decide(sam, flagged, "dismiss", "Seen and fine", up_to_flag=seen)
    flagged.refresh_from_db()
    late = ReviewFlag.objects.get(reason="Raised meanwhile")
    assert late.is_pending and flagged.flagged_at == late.created_at


def test_an_unknown_decision_changes_nothing(flagged, sam):
    decide(sam, flagged, "approve", "Something")
    with pytest.raises(ActionRefused):
        services.decide_review_flags(flagged, acting_user=sam, outcome="pending", comment="x")
    assert ReviewFlag.objects.filter(status=FlagStatus.PENDING).count() == 2


def test_a_hidden_review_cannot_be_flagged_again(flagged, sam, alice):
    services.decide_review_flags(flagged, acting_user=sam, outcome=FlagStatus.RESOLVED, comment="Abusive")
    with pytest.raises(ActionRefused, match="already hidden"):
        services.flag_review(flagged, user=alice, reason="Again")
    assert client_for(alice).get(reverse("review_flag", args=[flagged.public_id])).status_code == 404


def test_the_review_admin_list_shows_the_flagged_queue(flagged, sam, certified):
    content = client_for(sam).get(reverse("admin:marketplace_review_changelist") + "?flags=waiting").content.decode()
    assert change_url(flagged) in content


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_the_same_flags_at_once_one_decision_wins(flagged, sam):
    outcomes = at_once(
        lambda: services.decide_review_flags(flagged, acting_user=sam, outcome=FlagStatus.RESOLVED, comment="Hide"),
        lambda: services.decide_review_flags(flagged, acting_user=sam, outcome=FlagStatus.DISMISSED, comment="Keep"),
    )
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["ActionRefused", "list"]
    assert AuditEvent.objects.filter(kind__startswith="review.flags_").count() == 1
    statuses = set(ReviewFlag.objects.values_list("status", flat=True))
    assert len(statuses) == 1
    hidden = Review.objects.get().is_hidden
    assert hidden == (statuses == {FlagStatus.RESOLVED})
