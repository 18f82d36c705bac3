"""Subscribe after a confirmation, cancel with a reason, come back with the tag and the prompt."""

from decimal import Decimal

import pytest
from django.urls import reverse

from integrations.models import Tier
from marketplace.listings.models import Visibility
from marketplace.listings.services import set_score_and_visibility
from marketplace.models import CancellationReason, Review, Subscription
from marketplace.subscriptions import services
from portal.models import AuditEvent, Membership, Role
from portal.services import ActionRefused
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tests.marketplace.customers import membership, subscribe

pytestmark = pytest.mark.django_db

PRICE = {"price_up_front": "100", "price_per_month": "49"}


def test_the_confirmation_shows_the_price_and_the_version(certified, carol):
    content = client_for(carol).get(reverse("subscribe", args=[certified.slug])).content.decode()
    assert "$100 up front + $49 a month" in content
    assert "1.1.0" in content
    assert "Confirm and subscribe" in content


def test_subscribing_records_the_price_version_and_an_audit_row_and_emails_both_sides(
    certified, carol, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(carol).post(reverse("subscribe", args=[certified.slug]), PRICE)
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.price_up_front, subscription.price_per_month) == (Decimal(100), Decimal(49))
    assert subscription.version.number == "1.1.0"
    assert AuditEvent.objects.filter(kind="subscription.started", to_state="active").exists()
    assert {message.to[0] for message in mailoutbox} == {carol.email, alice.email}


def test_a_double_click_makes_one_subscription_and_a_clear_message(certified, carol):
    client = client_for(carol)
    client.post(reverse("subscribe", args=[certified.slug]), PRICE)
    response = client.post(reverse("subscribe", args=[certified.slug]), PRICE, follow=True)
    assert Subscription.objects.count() == 1
    assert "Acme Retail already subscribes to Magento by Northwind." in response.content.decode()


def test_a_price_changed_since_the_confirmation_is_refused(certified, carol):
    response = client_for(carol).post(
        reverse("subscribe", args=[certified.slug]), {"price_up_front": "100", "price_per_month": "19"}, follow=True
    )
    assert "The price changed" in response.content.decode()
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("tier", [Tier.COMPATIBLE, Tier.READY])
def test_a_compatible_or_ready_integration_cannot_be_subscribed_to(certified, carol, tier):
    certified.tier = tier
    certified.save(update_fields=["tier"])
    response = client_for(carol).post(reverse("subscribe", args=[certified.slug]), PRICE)
    assert response.status_code == 403
    assert "Only Certified integrations" in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_one_click_integration_can_be_subscribed_to(certified, carol):
    certified.tier = Tier.ONE_CLICK
    certified.save(update_fields=["tier"])
    subscribe(certified, carol)
    assert Subscription.objects.count() == 1


def test_a_delisted_integration_cannot_be_subscribed_to(certified, carol):
    set_score_and_visibility(certified, score=10, visibility=Visibility.DELISTED, cause="test")
    with pytest.raises(ActionRefused, match="removed from the marketplace"):
        subscribe(certified, carol)


def test_a_plain_member_of_a_customer_cannot_subscribe(certified, acme):
    member = UserFactory()
    MembershipFactory(user=member, organization=acme, role=Role.MEMBER)
    response = client_for(member).post(reverse("subscribe", args=[certified.slug]), PRICE)
    assert response.status_code == 403
    assert "Only owners and admins of Acme Retail" in response.content.decode()


def test_an_admin_of_a_customer_can_subscribe(certified, acme):
    admin_user = UserFactory()
    MembershipFactory(user=admin_user, organization=acme, role=Role.ADMIN)
    subscribe(certified, admin_user)
    assert Subscription.objects.get().organization == acme


def test_a_non_customer_organization_cannot_subscribe(certified, bob):
    with pytest.raises(ActionRefused, match="Only customer organizations"):
        subscribe(certified, bob)


def test_cancelling_needs_a_reason_and_records_when_and_why(
    certified, carol, alice, mailoutbox, django_capture_on_commit_callbacks
):
    subscription = subscribe(certified, carol)
    url = reverse("subscription_cancel", args=[subscription.public_id])
    response = client_for(carol).post(url, {"reason": "", "text": "x"})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(carol).post(url, {"reason": "too_expensive", "text": "Budget cut"})
    subscription.refresh_from_db()
    assert subscription.cancelled_at is not None
    assert (subscription.cancellation_reason, subscription.cancellation_text) == ("too_expensive", "Budget cut")
    assert [message.to[0] for message in mailoutbox if "cancelled" in message.subject] == [alice.email]


def test_cancelling_twice_says_it_is_already_cancelled(certified, carol):
    subscription = subscribe(certified, carol)
    services.cancel_subscription(subscription, membership=membership(carol), reason=CancellationReason.OTHER)
    with pytest.raises(ActionRefused, match="already cancelled"):
        services.cancel_subscription(subscription, membership=membership(carol), reason=CancellationReason.OTHER)


def test_coming_back_creates_a_new_subscription_tags_negative_reviews_and_asks_for_a_comment(
    certified, carol, mailoutbox, django_capture_on_commit_callbacks
):
    first = subscribe(certified, carol)
    acme = first.organization
    Review.objects.create(organization=acme, integration=certified, stars=2, text="Too slow")
    services.cancel_subscription(first, membership=membership(carol), reason=CancellationReason.SWITCHED)
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(certified, carol)
    assert Subscription.objects.filter(organization=acme).count() == 2
    review = Review.objects.get()
    assert review.returned_at is not None and review.asks_for_comment
    assert any("comment on your earlier review" in message.subject for message in mailoutbox)
    content = client_for(carol).get(reverse("listing_detail", args=[certified.slug])).content.decode()
    assert "returned after evaluating alternatives" in content
    assert "comment on your earlier review" in content


def test_a_positive_review_gets_no_returned_tag(certified, carol):
    first = subscribe(certified, carol)
    Review.objects.create(organization=first.organization, integration=certified, stars=4, text="Good")
    services.cancel_subscription(first, membership=membership(carol), reason=CancellationReason.OTHER)
    subscribe(certified, carol)
    assert Review.objects.get().returned_at is None


def test_the_organizations_page_lists_its_subscriptions_past_and_present_and_no_others(certified, carol, bob, acme):
    first = subscribe(certified, carol)
    services.cancel_subscription(first, membership=membership(carol), reason=CancellationReason.TOO_EXPENSIVE)
    subscribe(certified, carol)
    content = client_for(carol).get(reverse("subscription_list")).content.decode()
    assert content.count("Magento by Northwind</a>") == 2
    assert "Cancelled" in content and "Too expensive" in content and "Active" in content
    assert "Magento by Northwind" not in client_for(bob).get(reverse("subscription_list")).content.decode()


def test_the_detail_page_offers_subscribe_to_a_customer_owner_and_says_why_not_to_others(certified, carol, bob):
    assert (
        'href="/marketplace/magento-by-northwind/subscribe/">Subscribe</a>'
        in client_for(carol).get(reverse("listing_detail", args=[certified.slug])).content.decode()
    )
    assert (
        "Only customer organizations can subscribe"
        in client_for(bob).get(reverse("listing_detail", args=[certified.slug])).content.decode()
    )


def test_another_organizations_subscription_cannot_be_cancelled(certified, carol, alice):
    subscription = subscribe(certified, carol)
    with pytest.raises(ActionRefused):
        services.cancel_subscription(
            subscription, membership=Membership.objects.get(user=alice), reason=CancellationReason.OTHER
        )


@pytest.mark.parametrize(
    "price", [{}, {"price_up_front": "abc", "price_per_month": "49"}, {"price_up_front": "9" * 5000}]
)
def test_a_garbled_confirmation_is_answered_400_with_a_message_and_subscribes_nobody(certified, carol, price):
    response = client_for(carol).post(reverse("subscribe", args=[certified.slug]), price)
    assert response.status_code == 400
    assert "The confirmation was not complete" in response.content.decode()
    assert not Subscription.objects.exists()
