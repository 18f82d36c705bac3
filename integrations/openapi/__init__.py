"""OpenAPI 2.0 analysis for the integrations app: refusal, validation, proposals, diffs.

Pure Python (no models, no views), called from the upload form and from the Celery import task:

    analysis = analyse(uploaded.read(), uploaded.name)
    store(analysis.to_dict())                # a Celery task can store it as JSON
    changes = diff(previous.proposals, analysis.proposals)
"""

from .analysis import analyse, detect_version
from .limits import MAX_BYTES, MAX_DEPTH, VALIDATION_TIME_LIMIT
from .proposal import diff, group_label, propose
from .results import (
    Analysis,
    PathChange,
    Problem,
    Proposal,
    ProposalDiff,
    ProposedPath,
    SchemaField,
    SchemaSummary,
    Timings,
    format_location,
    plain,
)

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "VALIDATION_TIME_LIMIT",
    "Analysis",
    "PathChange",
    "Problem",
    "Proposal",
    "ProposalDiff",
    "ProposedPath",
    "SchemaField",
    "SchemaSummary",
    "Timings",
    "analyse",
    "detect_version",
    "diff",
    "format_location",
    "plain",
    "group_label",
    "propose",
]
