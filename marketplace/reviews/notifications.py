"""Emails the review actions send."""

from django.urls import reverse

from marketplace import mail
from marketplace.reviews.models import Dispute, FlagStatus, Review, ReviewFlag
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
    context = {
        "flag": flag,
        "decide_url": absolute_url(reverse("admin:marketplace_review_change", args=[flag.review_id])),
    }
    mail.send(
        f"Review flagged as abusive: {flag.review.integration.name}",
        "marketplace/email/review_flagged.txt",
        context,
        mail.staff(),
    )


def send_flags_decided(review_pk: int, flag_ids: list[int]) -> None:
    """Upheld: the reviewer's organization learns that its review is hidden, and why. Either way,
    those who flagged it learn the outcome."""
    review = _review(review_pk)
    flags = list(ReviewFlag.objects.filter(pk__in=flag_ids).select_related("flagged_by"))
    if not flags:
        return
    decision = flags[0]
    context = {
        "review": review,
        "decision": decision,
        "page_url": absolute_url(reverse("listing_detail", args=[review.integration.slug])),
    }
    if decision.status == FlagStatus.RESOLVED:
        reviewers = mail.managers(review.organization) + ([review.author.email] if review.author else [])
        mail.send(
            f"Your review of {review.integration.name} is hidden",
            "marketplace/email/review_hidden.txt",
            context,
            reviewers,
        )
    mail.send(
        f"Your flag on a review of {review.integration.name}: {decision.get_status_display().lower()}",
        "marketplace/email/flag_decided.txt",
        context,
        [flag.flagged_by.email for flag in flags if flag.flagged_by.is_active],
    )
