"""The POSTs of the subscription and review pages refuse whom their GETs refuse, and change nothing."""

import pytest
from django.urls import reverse

from marketplace.models import Dispute, Review, ReviewFlag, Subscription
from marketplace.reviews import services
from tests.conftest import client_for
from tests.marketplace.customers import membership, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(certified, carol):
    subscription = subscribe(certified, carol)
    review = services.write_review(certified, membership=membership(carol), stars=1, text="Broken")
    return subscription, review


def test_posts_by_the_wrong_organization_are_refused_and_change_nothing(certified, reviewed, alice, ivy, bob, carol):
    subscription, review = reviewed
    answer, dispute = (reverse(name, args=[review.public_id]) for name in ("review_answer", "review_dispute"))
    refused = [
        (ivy, reverse("subscribe", args=[certified.slug]), {"price_up_front": "100", "price_per_month": "49"}, 403),
        (bob, reverse("review_write", args=[certified.slug]), {"stars": 5, "text": "Fake praise"}, 403),
        (bob, reverse("subscription_cancel", args=[subscription.public_id]), {"reason": "other"}, 404),
        (bob, answer, {"text": "Not mine"}, 404),
        (carol, dispute, {"reasoning": "Not mine"}, 404),
        (None, reverse("review_flag", args=[review.public_id]), {"reason": "x"}, 302),  # to sign in
    ]
    for user, url, data, status in refused:
        assert client_for(user).post(url, data).status_code == status, url
    assert Subscription.objects.active().count() == 1
    assert Review.objects.get().text == "Broken" and not Review.objects.get().answer
    assert not Dispute.objects.exists() and not ReviewFlag.objects.exists()
