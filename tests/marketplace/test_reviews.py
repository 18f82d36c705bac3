"""Reviews by paying organizations; the integrator's answer and dispute; flags; the page that shows them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Dispute, Review, ReviewFlag
from marketplace.reviews import services, windows
from portal.services import ActionRefused
from tests.conftest import client_for
from tests.marketplace.customers import membership, subscribe

pytestmark = pytest.mark.django_db


def review_by(integration, user, stars=1, text="It lost our orders"):
    return services.write_review(integration, membership=membership(user), stars=stars, text=text)


def test_an_organization_without_a_subscription_cannot_review(certified, carol):
    response = client_for(carol).post(reverse("review_write", args=[certified.slug]), {"stars": 5, "text": "Great"})
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_a_past_subscriber_can_review(certified, carol):
    from marketplace.subscriptions.services import cancel_subscription

    cancel_subscription(subscribe(certified, carol), membership=membership(carol), reason="other")
    assert review_by(certified, carol, stars=3).stars == 3


@pytest.mark.parametrize("stars", ["0", "6", "five", ""])
def test_stars_out_of_range_are_refused_with_a_message(certified, carol, stars):
    subscribe(certified, carol)
    response = client_for(carol).post(reverse("review_write", args=[certified.slug]), {"stars": stars, "text": "Hm"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode() or "required" in response.content.decode()
    assert not Review.objects.exists()


def test_a_review_of_100_kb_is_refused_with_a_message(certified, carol):
    subscribe(certified, carol)
    response = client_for(carol).post(
        reverse("review_write", args=[certified.slug]), {"stars": 4, "text": "x" * 100_000}
    )
    assert response.status_code == 400
    assert "at most 5000 characters" in response.content.decode()


def test_one_review_per_organization_editing_keeps_the_earlier_text_and_says_edited(certified, carol):
    subscribe(certified, carol)
    client = client_for(carol)
    client.post(reverse("review_write", args=[certified.slug]), {"stars": 2, "text": "Slow at first"})
    client.post(reverse("review_write", args=[certified.slug]), {"stars": 4, "text": "Much better now"})
    review = Review.objects.get()
    assert (review.stars, review.text) == (4, "Much better now") and review.edited_at
    assert [(revision.stars, revision.text) for revision in review.revisions.all()] == [(2, "Slow at first")]
    content = client.get(reverse("listing_detail", args=[certified.slug])).content.decode()
    assert '<span class="badge">edited</span>' in content


def test_review_text_with_html_is_escaped_never_rendered(certified, carol):
    subscribe(certified, carol)
    review_by(certified, carol, stars=5, text='<script>alert("x")</script><b>bold</b>')
    content = client_for(None).get(reverse("listing_detail", args=[certified.slug])).content.decode()
    assert "<script>alert" not in content and "<b>bold</b>" not in content
    assert "&lt;script&gt;alert" in content


def test_the_review_shows_the_organization_and_how_long_it_has_subscribed(certified, carol):
    subscribe(certified, carol, days_ago=95)
    review_by(certified, carol, stars=4)
    content = client_for(None).get(reverse("listing_detail", args=[certified.slug])).content.decode()
    assert "Acme Retail" in content and "subscribed for 3 months" in content
    assert "4.0 out of 5, from 1 review" in content


def test_the_integrator_answers_once_and_answering_again_edits_it(certified, carol, alice):
    subscribe(certified, carol)
    review = review_by(certified, carol)
    services.answer_review(review, membership=membership(alice), text="Sorry, fixed in 1.1")
    services.answer_review(review, membership=membership(alice), text="Sorry, fixed in 1.1.0")
    review.refresh_from_db()
    assert review.answer == "Sorry, fixed in 1.1.0" and review.answer_edited_at
    content = client_for(None).get(reverse("listing_detail", args=[certified.slug])).content.decode()
    assert "Answer from Northwind Integrations" in content and "Sorry, fixed in 1.1.0" in content


def test_another_integrator_cannot_answer_or_dispute(certified, carol, bob):
    subscribe(certified, carol)
    review = review_by(certified, carol)
    with pytest.raises(ActionRefused):
        services.answer_review(review, membership=membership(bob), text="Not mine")
    url = reverse("review_answer", args=[review.public_id])
    assert client_for(bob).post(url, {"text": "Not mine"}).status_code == 404
    assert not Review.objects.get().answer


def test_disputing_a_negative_review_shows_disputed_and_tells_staff(
    certified, carol, alice, sam, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe(certified, carol)
    review = review_by(certified, carol, stars=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(
            reverse("review_dispute", args=[review.public_id]), {"reasoning": "They never connected the store"}
        )
    assert response.status_code == 302
    assert Dispute.objects.get().is_pending
    assert [message.to for message in mailoutbox if "dispute" in message.subject.lower()] == [[sam.email]]
    content = client_for(None).get(reverse("listing_detail", args=[certified.slug])).content.decode()
    assert '<span class="badge">disputed</span>' in content


def test_a_positive_review_cannot_be_disputed(certified, carol, alice):
    subscribe(certified, carol)
    review = review_by(certified, carol, stars=3)
    response = client_for(alice).post(reverse("review_dispute", args=[review.public_id]), {"reasoning": "No"})
    assert response.status_code == 400
    assert "Only a negative review" in response.content.decode()
    assert not Dispute.objects.exists()


def test_a_review_cannot_be_disputed_twice(certified, carol, alice):
    subscribe(certified, carol)
    review = review_by(certified, carol)
    services.dispute_review(review, membership=membership(alice), reasoning="Wrong integration")
    with pytest.raises(ActionRefused, match="already disputed"):
        services.dispute_review(review, membership=membership(alice), reasoning="Again")


def test_a_review_cannot_be_disputed_after_the_response_window(certified, carol, alice, monkeypatch):
    subscribe(certified, carol)
    review = review_by(certified, carol)
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - datetime.timedelta(days=15))
    with pytest.raises(ActionRefused, match="response window"):
        services.dispute_review(review, membership=membership(alice), reasoning="Late")
    monkeypatch.setattr(windows, "current", lambda: windows.ReviewWindows(30, 30))
    assert services.dispute_review(review, membership=membership(alice), reasoning="In time").is_pending


def test_anyone_signed_in_flags_a_review_once_and_it_goes_to_the_staff_queue(certified, carol, bob, sam):
    subscribe(certified, carol)
    review = review_by(certified, carol)
    url = reverse("review_flag", args=[review.public_id])
    assert client_for(bob).post(url, {"reason": "Insulting"}).status_code == 302
    again = client_for(bob).post(url, {"reason": "Still insulting"})
    assert again.status_code == 400 and "already flagged" in again.content.decode()
    assert ReviewFlag.objects.count() == 1
    queue = client_for(sam).get(reverse("admin:marketplace_reviewflag_changelist")).content.decode()
    assert "Insulting" in queue


def test_the_integrators_email_quotes_the_review_as_typed_plain_text(
    certified, carol, alice, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe(certified, carol)
    with django_capture_on_commit_callbacks(execute=True):
        review_by(certified, carol, stars=2, text='Sync "lost" orders & <b>refunds</b>')
    [message] = [message for message in mailoutbox if "review of" in message.subject]
    assert message.to == [alice.email]
    assert 'Sync "lost" orders & <b>refunds</b>' in message.body  # plain text: nothing to escape
    assert "You can answer it, or dispute it" in message.body
