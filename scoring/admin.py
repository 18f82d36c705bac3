"""Red Rook staff's faces of scoring, one module per capability."""

from scoring.policy import admin as policy_admin  # noqa: F401 - registers the policy's admin
from scoring.proposals import admin as proposals_admin  # noqa: F401 - registers the delisting proposal queue
from scoring.runs import admin as runs_admin  # noqa: F401 - registers the runs' admin
