"""The kinds of audit events the scoring app records, registered by ScoringConfig.ready."""

from portal.audit import register_kinds

SENTENCES = {
    # target: the new policy version
    "scoring_policy.published": "{actor} published {target}",
    # target: the run
    "scoring_run.queued": "{actor} started {target}",
    "scoring_run.failed": "{actor} could not finish {target}",
    # target: the proposal (the comment says the score); within: its integration; the actor is the run (nobody)
    "delisting.proposed": "{actor} sent {target} to staff for {within}",
    "delisting.delisted": "{actor} decided on {target} to delist {within}",
    # target: the integration; from_state/to_state: the score today and the week-ahead run's
    "score.hide_warned": "{actor} warned that a run a week ahead would hide {target} (score {to_state})",
    # target: the integration; the run a week ahead would not hide it any more
    "score.hide_warning_lifted": "{actor} found that a run a week ahead would no longer hide {target}",
    "delisting.dismissed": "{actor} dismissed {target} for {within}",
}


def register() -> None:
    register_kinds(SENTENCES)
