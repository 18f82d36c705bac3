"""The scoring app's models; each capability keeps its own in its subpackage and they are
re-exported here, so the app label and migrations stay one."""

from scoring.policy.models import NUMBER_FIELDS, ScoringPolicy
from scoring.runs.models import (
    ACTIVE_STATES,
    PROPOSAL_DECISIONS,
    Deduction,
    DelistingProposal,
    ProposalState,
    Rule,
    RunState,
    ScoreSnapshot,
    ScoringRun,
)

__all__ = [
    "ACTIVE_STATES",
    "NUMBER_FIELDS",
    "PROPOSAL_DECISIONS",
    "Deduction",
    "DelistingProposal",
    "ProposalState",
    "Rule",
    "RunState",
    "ScoreSnapshot",
    "ScoringPolicy",
    "ScoringRun",
]
