"""Red Rook staff's faces of scoring, one module per capability."""

from scoring.proposals import admin as proposals_admin  # noqa: F401 - registers the delisting proposal queue
