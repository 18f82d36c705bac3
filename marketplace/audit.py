"""The kinds of audit events the marketplace records, registered with the portal's list
(portal.audit) by MarketplaceConfig.ready."""

from portal.audit import register_kinds

SENTENCES = {
    # target: the listing; within: its integration, whose history shows it
    "listing.visibility_changed": "{actor} moved the marketplace listing from {from_state} to {to_state} for {within}",
    # target: the subscription, named by the subscribing organization; within: the integration
    "subscription.started": "{actor} subscribed {target} to {within}",
    "subscription.cancelled": "{actor} cancelled the subscription of {target} to {within}",
    # target: the review (its dispute, its flag), named by the reviewing organization
    "review.requested": "{actor} asked {target} to review {within}",
    "review.written": "{actor} gave {to_state} in a review by {target} of {within}",
    "review.edited": "{actor} changed from {from_state} to {to_state} the review by {target} of {within}",
    "review.answered": "{actor} answered the review by {target} of {within}",
    "review.answer_edited": "{actor} edited the answer to the review by {target} of {within}",
    "review.disputed": "{actor} disputed the review by {target} of {within}",
    "dispute.decided": "{actor} {to_state} the dispute over the review by {target} of {within}",
    "review.flagged": "{actor} flagged the review by {target} of {within}",
    "review.flags_resolved": "{actor} upheld the flags and hid the review by {target} of {within}",
    "review.flags_dismissed": "{actor} dismissed the flags on the review by {target} of {within}",
}


# Reviews recorded before a single star was worded as one read as it is now.
STARS = {"1 stars": "1 star"}
STATES = {"review.written": STARS, "review.edited": STARS}


def register() -> None:
    register_kinds(SENTENCES, states=STATES)
