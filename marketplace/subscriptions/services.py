"""Subscribe, cancel and come back: the named actions of a customer organization's subscriptions.

Each locks the rows it decides on, records an AuditEvent and sends its email once committed. The
partial unique constraint (one active subscription per organization and integration) is the last
word when two requests race: the loser gets ActionRefused, never an IntegrityError.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.models import Integration, IntegrationVersion, Tier, VersionStatus, semver_key
from marketplace.listings.models import Listing, Visibility
from marketplace.reviews.models import NEGATIVE_STARS, Review
from marketplace.subscriptions import notifications
from marketplace.subscriptions.models import CancellationReason, Subscription
from portal import page_cache
from portal.models import MANAGER_ROLES, Membership, Organization
from portal.services import ActionRefused, record


def subscribe_refusal(integration: Integration, membership: Membership | None) -> str:
    """Why this person, acting for this organization, may not subscribe (empty when they may)."""
    if integration.tier < Tier.CERTIFIED:
        return "Only Certified integrations can be subscribed to."
    if Listing.objects.filter(integration=integration, visibility=Visibility.DELISTED).exists():
        return "This integration has been removed from the marketplace."
    if membership is None or not membership.organization.is_customer:
        return "Only customer organizations can subscribe; switch to your customer organization."
    if membership.role not in MANAGER_ROLES:
        return f"Only owners and admins of {membership.organization.name} can subscribe."
    return ""


def subscribe(
    integration: Integration, *, membership: Membership, version: IntegrationVersion | None, confirmed_price: tuple
) -> Subscription:
    """Subscribes the membership's organization at the price it confirmed; a price changed since the
    confirmation page was shown is refused, so nobody pays what they did not see."""
    organization, user = membership.organization, membership.user
    with transaction.atomic():
        integration = Integration.objects.lock(integration)
        refusal = subscribe_refusal(integration, membership)
        if refusal:
            raise ActionRefused(refusal)
        if (integration.price_up_front, integration.price_per_month) != confirmed_price:
            raise ActionRefused("The price changed while you were deciding; please confirm the new price.")
        if integration.subscriptions.active().filter(organization=organization).exists():
            raise ActionRefused(f"{organization.name} already subscribes to {integration.name}.")
        returning = integration.subscriptions.filter(organization=organization).exists()
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    organization=organization,
                    integration=integration,
                    version=version,
                    price_up_front=integration.price_up_front,
                    price_per_month=integration.price_per_month,
                    subscribed_by=user,
                )
        except IntegrityError as exc:  # another request subscribed between our check and insert
            raise ActionRefused(f"{organization.name} already subscribes to {integration.name}.") from exc
        returned_reviews = _mark_returned_reviews(integration, organization) if returning else []
        record(
            actor=user,
            kind="subscription.started",
            organization=organization,
            target=subscription,
            target_label=organization.name,
            within=integration,
            to_state="returned" if returning else "active",
        )
        transaction.on_commit(lambda: notifications.send_subscription_started(subscription.pk))
        for review_pk in returned_reviews:
            transaction.on_commit(lambda pk=review_pk: notifications.send_comment_request(pk, user.pk))
    return subscription


def _mark_returned_reviews(integration: Integration, organization: Organization) -> list[int]:
    """A returning customer's negative reviews get the "returned after evaluating alternatives" tag."""
    reviews = Review.objects.filter(integration=integration, organization=organization, stars__lte=NEGATIVE_STARS)
    ids = list(reviews.values_list("pk", flat=True))
    reviews.update(returned_at=timezone.now())
    page_cache.content_changed()  # the tag shows on the reviews' public page
    return ids


def cancel_subscription(
    subscription: Subscription, *, membership: Membership, reason: str, text: str = ""
) -> Subscription:
    if reason not in CancellationReason.values:
        raise ActionRefused("Choose a reason for cancelling.")
    if membership.role not in MANAGER_ROLES or membership.organization_id != subscription.organization_id:
        raise ActionRefused("Only owners and admins of the subscribing organization can cancel.")
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().select_related("integration").get(pk=subscription.pk)
        if not subscription.is_active:
            raise ActionRefused("This subscription is already cancelled.")
        subscription.cancelled_at = timezone.now()
        subscription.cancelled_by = membership.user
        subscription.cancellation_reason = reason
        subscription.cancellation_text = text.strip()
        subscription.save(update_fields=["cancelled_at", "cancelled_by", "cancellation_reason", "cancellation_text"])
        record(
            actor=membership.user,
            kind="subscription.cancelled",
            organization=subscription.organization,
            target=subscription,
            target_label=subscription.organization.name,
            within=subscription.integration,
            from_state="active",
            to_state="cancelled",
            comment=f"{subscription.get_cancellation_reason_display()}: {subscription.cancellation_text}"[:2000],
        )
        transaction.on_commit(lambda: notifications.send_subscription_cancelled(subscription.pk))
    return subscription


def newest_published_version(integration: Integration) -> IntegrationVersion | None:
    versions = list(integration.versions.filter(status=VersionStatus.PUBLISHED))
    return max(versions, key=lambda version: semver_key(version.number), default=None)
