"""Emails the review actions send."""

from django.urls import reverse

from marketplace import mail
from marketplace.reviews.models import Dispute, Review, ReviewFlag
from portal.notifications import absolute_url


def _review(pk: int) -> Review:
    return Review.objects.select_related("integration__owner", "organization", "author").get(pk=pk)


def send_review_written(review_pk: int) -> None:
    review = _review(review_pk)
    context = {
        "review": review,
        "dashboard_url": absolute_url(reverse("business_dashboard", args=[review.integration.slug])),
    }
    mail.send(
        f"New {review.stars}-star review of {review.integration.name}",
        "marketplace/email/review_written.txt",
        context,
        mail.managers(review.integration.owner),
    )


def send_review_answered(review_pk: int) -> None:
    review = _review(review_pk)
    if review.author is None:
        return
    context = {"review": review, "page_url": absolute_url(reverse("listing_detail", args=[review.integration.slug]))}
    mail.send(
        f"{review.integration.owner.name} answered your review of {review.integration.name}",
        "marketplace/email/review_answered.txt",
        context,
        [review.author.email],
    )


def send_dispute_raised(dispute_pk: int) -> None:
    dispute = Dispute.objects.select_related("review__integration", "review__organization").get(pk=dispute_pk)
    context = {
        "dispute": dispute,
        "decide_url": absolute_url(reverse("admin:marketplace_dispute_change", args=[dispute.pk])),
    }
    mail.send(
        f"Review dispute to decide: {dispute.review.integration.name}",
        "marketplace/email/dispute_raised.txt",
        context,
        mail.staff(),
    )


def send_dispute_decided(dispute_pk: int) -> None:
    dispute = Dispute.objects.select_related("review__integration__owner", "review__author").get(pk=dispute_pk)
    review = dispute.review
    context = {"dispute": dispute, "page_url": absolute_url(reverse("listing_detail", args=[review.integration.slug]))}
    recipients = mail.managers(review.integration.owner) + ([review.author.email] if review.author else [])
    mail.send(
        f"Dispute of a review of {review.integration.name} {dispute.get_status_display().lower()}",
        "marketplace/email/dispute_decided.txt",
        context,
        recipients,
    )


def send_review_flagged(flag_pk: int) -> None:
    flag = ReviewFlag.objects.select_related("review__integration").get(pk=flag_pk)
    context = {"flag": flag, "queue_url": absolute_url(reverse("admin:marketplace_reviewflag_changelist"))}
    mail.send(
        f"Review flagged as abusive: {flag.review.integration.name}",
        "marketplace/email/review_flagged.txt",
        context,
        mail.staff(),
    )
