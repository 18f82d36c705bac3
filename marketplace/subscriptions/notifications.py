"""Emails the subscription actions send."""

from django.urls import reverse

from marketplace import mail
from marketplace.reviews.models import Review
from marketplace.subscriptions.models import Subscription
from portal.models import User
from portal.notifications import absolute_url


def _subscription(pk: int) -> Subscription:
    return Subscription.objects.select_related("integration__owner", "organization", "subscribed_by").get(pk=pk)


def send_subscription_started(subscription_pk: int) -> None:
    subscription = _subscription(subscription_pk)
    integration = subscription.integration
    context = {
        "subscription": subscription,
        "dashboard_url": absolute_url(reverse("business_dashboard", args=[integration.slug])),
        "subscriptions_url": absolute_url(reverse("subscription_list")),
    }
    mail.send(
        f"New subscriber to {integration.name}: {subscription.organization.name}",
        "marketplace/email/subscription_started_integrator.txt",
        context,
        mail.managers(integration.owner),
    )
    if subscription.subscribed_by:
        mail.send(
            f"You subscribed to {integration.name}",
            "marketplace/email/subscription_started_customer.txt",
            context,
            [subscription.subscribed_by.email],
        )


def send_subscription_cancelled(subscription_pk: int) -> None:
    subscription = _subscription(subscription_pk)
    integration = subscription.integration
    context = {
        "subscription": subscription,
        "dashboard_url": absolute_url(reverse("business_dashboard", args=[integration.slug])),
    }
    mail.send(
        f"{subscription.organization.name} cancelled {integration.name}",
        "marketplace/email/subscription_cancelled.txt",
        context,
        mail.managers(integration.owner),
    )


def send_comment_request(review_pk: int, user_pk: int) -> None:
    """A customer who came back is asked to comment on its earlier negative review."""
    review = Review.objects.select_related("integration", "organization").get(pk=review_pk)
    user = User.objects.get(pk=user_pk)
    context = {"review": review, "review_url": absolute_url(reverse("review_write", args=[review.integration.slug]))}
    mail.send(
        f"Welcome back to {review.integration.name}: would you comment on your earlier review?",
        "marketplace/email/comment_request.txt",
        context,
        [user.email],
    )
