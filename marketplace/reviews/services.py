"""The named actions on reviews: write (or edit) one, answer it, dispute it, decide the dispute, flag it.

Each runs in one transaction, locks the review (or decides by a conditional UPDATE), records an
AuditEvent and sends its emails once committed.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.models import Integration
from marketplace.reviews import notifications
from marketplace.reviews.models import (
    DISPUTE_DECISIONS,
    FLAG_DECISIONS,
    MAX_REVIEW_LENGTH,
    Dispute,
    DisputeStatus,
    FlagStatus,
    Review,
    ReviewFlag,
    ReviewRevision,
)
from marketplace.reviews.ratings import refresh_rating
from marketplace.subscriptions.models import Subscription
from portal import page_cache
from portal.models import Membership, Organization, User
from portal.services import ActionRefused, record

MAX_ANSWER_LENGTH = 5000


def has_paid(organization: Organization | None, integration: Integration) -> bool:
    """Only an organization with a current or past subscription may review."""
    return (
        organization is not None
        and Subscription.objects.filter(organization=organization, integration=integration).exists()
    )


def stars_words(stars: int) -> str:
    """How a review's stars read in its audit event: "1 star", "4 stars"."""
    return f"{stars} star{'' if stars == 1 else 's'}"


def _check_review_input(stars, text: str) -> str:
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ActionRefused("Give from 1 to 5 stars.")
    text = (text or "").strip()
    if not text:
        raise ActionRefused("Write a few words about your experience.")
    if len(text) > MAX_REVIEW_LENGTH:
        raise ActionRefused(f"A review is at most {MAX_REVIEW_LENGTH} characters.")
    return text


def write_review(integration: Integration, *, membership: Membership, stars: int, text: str) -> Review:
    """Creates the organization's review of this integration, or edits it keeping the earlier text."""
    text = _check_review_input(stars, text)
    organization, user = membership.organization, membership.user
    if not has_paid(organization, integration):
        raise ActionRefused("Only organizations that have subscribed to this integration can review it.")
    with transaction.atomic():
        review = Review.objects.select_for_update().filter(organization=organization, integration=integration).first()
        if review is None:
            return _create_review(integration, organization, user, stars, text)
        if (review.stars, review.text) == (stars, text):
            return review
        ReviewRevision.objects.create(
            review=review, stars=review.stars, text=review.text, written_at=review.edited_at or review.created_at
        )
        before = review.stars
        review.stars, review.text, review.edited_at, review.author = stars, text, timezone.now(), user
        review.save(update_fields=["stars", "text", "edited_at", "author"])
        if before != stars:
            refresh_rating(integration.pk)
        record(
            actor=user,
            kind="review.edited",
            organization=organization,
            target=review,
            target_label=organization.name,
            within=integration,
            from_state=stars_words(before),
            to_state=stars_words(stars),
        )
    return review


def _create_review(integration, organization, user, stars, text) -> Review:
    try:
        with transaction.atomic():
            review = Review.objects.create(
                organization=organization, integration=integration, author=user, stars=stars, text=text
            )
    except IntegrityError as exc:  # a second tab posted the first review at the same moment
        raise ActionRefused(f"{organization.name} has already reviewed {integration.name}; edit it instead.") from exc
    refresh_rating(integration.pk)
    record(
        actor=user,
        kind="review.written",
        organization=organization,
        target=review,
        target_label=organization.name,
        within=integration,
        to_state=stars_words(stars),
    )
    transaction.on_commit(lambda: notifications.send_review_written(review.pk))
    return review


def _lock_for_integrator(review: Review, organization: Organization) -> Review:
    review = Review.objects.select_for_update().select_related("integration").get(pk=review.pk)
    if review.integration.owner_id != organization.pk:
        raise ActionRefused("Only the integration's owner can answer or dispute its reviews.")
    return review


def answer_review(review: Review, *, membership: Membership, text: str) -> Review:
    """The integrator's one public answer; answering again edits it."""
    text = (text or "").strip()
    if not text:
        raise ActionRefused("Write your answer.")
    if len(text) > MAX_ANSWER_LENGTH:
        raise ActionRefused(f"An answer is at most {MAX_ANSWER_LENGTH} characters.")
    with transaction.atomic():
        review = _lock_for_integrator(review, membership.organization)
        now, editing = timezone.now(), bool(review.answered_at)
        review.answer, review.answered_by = text, membership.user
        if editing:
            review.answer_edited_at = now
        else:
            review.answered_at = now
        review.save(update_fields=["answer", "answered_by", "answered_at", "answer_edited_at"])
        record(
            actor=membership.user,
            kind="review.answer_edited" if editing else "review.answered",
            organization=membership.organization,
            target=review,
            target_label=str(review.organization),
            within=review.integration,
        )
        if not editing:
            transaction.on_commit(lambda: notifications.send_review_answered(review.pk))
    return review


def dispute_review(review: Review, *, membership: Membership, reasoning: str) -> Dispute:
    reasoning = (reasoning or "").strip()
    if not reasoning:
        raise ActionRefused("Explain why the review should not count.")
    if len(reasoning) > MAX_ANSWER_LENGTH:
        raise ActionRefused(f"The reasoning is at most {MAX_ANSWER_LENGTH} characters.")
    with transaction.atomic():
        review = _lock_for_integrator(review, membership.organization)
        if not review.is_negative:
            raise ActionRefused("Only a negative review (2 stars or fewer) can be disputed.")
        if not review.in_response_window():
            raise ActionRefused("The response window for this review has closed.")
        if Dispute.objects.filter(review=review).exists():
            raise ActionRefused("This review is already disputed.")
        dispute = Dispute.objects.create(review=review, reasoning=reasoning, raised_by=membership.user)
        record(
            actor=membership.user,
            kind="review.disputed",
            organization=membership.organization,
            target=dispute,
            target_label=str(review.organization),
            within=review.integration,
            to_state=DisputeStatus.PENDING,
            comment=reasoning[:2000],
        )
        transaction.on_commit(lambda: notifications.send_dispute_raised(dispute.pk))
    return dispute


def decide_dispute(dispute: Dispute, *, acting_user: User, outcome: str, comment: str) -> Dispute:
    """Red Rook staff accept or reject a pending dispute; a conditional UPDATE lets exactly one decision win."""
    comment = (comment or "").strip()
    if outcome not in DISPUTE_DECISIONS[DisputeStatus.PENDING]:
        raise ActionRefused("Choose to accept or reject the dispute.")
    if not comment:
        raise ActionRefused("Say why: the comment is shown to the integrator and the reviewer.")
    with transaction.atomic():
        decided = Dispute.objects.filter(pk=dispute.pk, status=DisputeStatus.PENDING).update(
            status=outcome, decided_by=acting_user, decided_at=timezone.now(), decision_comment=comment
        )
        if not decided:
            raise ActionRefused("This dispute has already been decided.")
        page_cache.content_changed()  # the review's page says how its dispute ended
        dispute = Dispute.objects.select_related("review__integration__owner", "review__organization").get(
            pk=dispute.pk
        )
        record(
            actor=acting_user,
            kind="dispute.decided",
            organization=dispute.review.integration.owner,
            target=dispute,
            target_label=str(dispute.review.organization),
            within=dispute.review.integration,
            from_state=DisputeStatus.PENDING,
            to_state=outcome,
            comment=comment,
        )
        transaction.on_commit(lambda: notifications.send_dispute_decided(dispute.pk))
    return dispute


def flag_review(review: Review, *, user: User, reason: str) -> ReviewFlag:
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused("Say what is abusive about this review.")
    if len(reason) > MAX_ANSWER_LENGTH:
        raise ActionRefused(f"The reason is at most {MAX_ANSWER_LENGTH} characters.")
    refused = "You have already flagged this review; Red Rook staff will look at it."
    with transaction.atomic():
        # Locked: the queue's flagged_at and a staff decision on the same review go one at a time.
        review = Review.objects.select_for_update().select_related("integration", "organization").get(pk=review.pk)
        if review.is_hidden:
            raise ActionRefused("Red Rook staff have already hidden this review.")
        if ReviewFlag.objects.filter(review=review, flagged_by=user).exists():
            raise ActionRefused(refused)
        try:
            with transaction.atomic():
                flag = ReviewFlag.objects.create(review=review, flagged_by=user, reason=reason)
        except IntegrityError as exc:
            raise ActionRefused(refused) from exc
        if review.flagged_at is None:
            review.flagged_at = flag.created_at
            review.save(update_fields=["flagged_at"])
        record(
            actor=user,
            kind="review.flagged",
            target=flag,
            target_label=str(review.organization),
            within=review.integration,
            comment=reason[:2000],
        )
        transaction.on_commit(lambda: notifications.send_review_flagged(flag.pk))
    return flag


def decide_review_flags(
    review: Review, *, acting_user: User, outcome: str, comment: str, up_to_flag: int | None = None
) -> list[ReviewFlag]:
    """Red Rook staff decide every waiting flag of a review at once (those up to `up_to_flag`, the
    newest the deciding page showed, so a flag raised meanwhile waits for its own decision).
    Upheld: the review is hidden from the public page and the rating, the comment kept as the
    reason, and the reviewer's organization is told. Dismissed: the review stays. The review is
    locked, so when two staff decide at once the second finds nothing waiting and is refused."""
    comment = (comment or "").strip()
    if outcome not in FLAG_DECISIONS[FlagStatus.PENDING]:
        raise ActionRefused("Choose to uphold the flags (hide the review) or dismiss them.")
    if not comment:
        raise ActionRefused("Say why: the comment is the reason kept with the decision.")
    with transaction.atomic():
        review = Review.objects.select_for_update().select_related("integration", "organization").get(pk=review.pk)
        waiting = review.flags.filter(status=FlagStatus.PENDING)
        if up_to_flag is not None:
            waiting = waiting.filter(pk__lte=up_to_flag)
        flags = list(waiting.order_by("created_at", "pk"))
        if not flags:
            raise ActionRefused("The flags on this review have already been decided.")
        now = timezone.now()
        ReviewFlag.objects.filter(pk__in=[flag.pk for flag in flags]).update(
            status=outcome, decided_by=acting_user, decided_at=now, decision_comment=comment
        )
        page_cache.content_changed()
        _after_flags_decided(review, outcome, comment, now)
        record(
            actor=acting_user,
            kind=f"review.flags_{outcome}",
            organization=review.organization,
            target=review,
            target_label=str(review.organization),
            within=review.integration,
            from_state=FlagStatus.PENDING,
            to_state=outcome,
            comment=f"{len(flags)} flag{'s' if len(flags) != 1 else ''}: {comment}"[:2000],
        )
        flag_ids = [flag.pk for flag in flags]
        transaction.on_commit(lambda: notifications.send_flags_decided(review.pk, flag_ids))
    return flags


def _after_flags_decided(review: Review, outcome: str, comment: str, now) -> None:
    """The review leaves the queue (unless a newer flag still waits) and, when upheld, the public page."""
    oldest = review.flags.filter(status=FlagStatus.PENDING).order_by("created_at").values("created_at").first()
    review.flagged_at = oldest["created_at"] if oldest else None
    fields = ["flagged_at"]
    if outcome == FlagStatus.RESOLVED and not review.is_hidden:
        review.hidden_at, review.hidden_reason = now, comment
        fields += ["hidden_at", "hidden_reason"]
    review.save(update_fields=fields)
    if "hidden_at" in fields:
        refresh_rating(review.integration_id)
