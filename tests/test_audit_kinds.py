"""Every kind the code records is one of the registered kinds, worded for a history page: read
from the source, so a misspelt kind on a path no other test takes fails here, not in production
(record refuses an unregistered kind)."""

import ast
import re
from pathlib import Path

import pytest

from certification.requests.models import RequestStatus
from certification.workflow_templates.models import TemplateStatus
from integrations.associations.services import DECISIONS
from integrations.models import SubmissionStatus, VersionSubmission
from portal import audit

ROOT = Path(__file__).resolve().parents[1]
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")  # "mapping_row.added"; other things called kind have no dot


def _kinds_written(tree: ast.AST) -> set[str]:
    """Audit codes given as a kind: `kind=...` in any call or assignment, and the third
    argument of the `_audit(actor, integration, kind, ...)` helpers, the first of record_changes;
    both branches of an `x if c else y`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            found += [keyword.value for keyword in node.keywords if keyword.arg == "kind"]
            if getattr(node.func, "id", None) == "_audit" and len(node.args) > 2:
                found.append(node.args[2])
            if getattr(node.func, "id", getattr(node.func, "attr", None)) == "record_changes" and node.args:
                found.append(node.args[0])
        elif isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "kind" for target in node.targets):
            found.append(node.value)
    constants = set()
    for value in found:
        branches = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
        constants |= {branch.value for branch in branches if isinstance(branch, ast.Constant)}
    return {constant for constant in constants if isinstance(constant, str) and CODE.match(constant)}


def _source_files():
    for app in ("portal", "integrations", "certification", "marketplace", "scoring"):
        yield from (path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts)


def test_every_kind_written_in_the_code_is_registered():
    written = set()
    for path in _source_files():
        written |= _kinds_written(ast.parse(path.read_text(), filename=str(path)))
    scanned = {
        "mapping_row.added",
        "template_mapping.reverse_cloned",
        "invitation.revoked",
        "review.flagged",
        "delisting.proposed",
    }
    assert scanned <= written  # the scan reads every app
    unknown = sorted(code for code in written if code not in dict(audit.kind_choices()))
    assert not unknown, f"register these kinds (with their sentences): {unknown}"


@pytest.mark.parametrize("status", sorted({to for _, to in DECISIONS.values()}))
def test_every_association_decision_has_a_kind(status):
    assert audit.get_kind(f"association.{status}")


@pytest.mark.parametrize(
    "status", [s for s in SubmissionStatus if VersionSubmission(status=SubmissionStatus.PENDING).may_become(s)]
)
def test_every_submission_decision_has_a_kind(status):
    assert audit.get_kind(f"version_submission.{status}")


@pytest.mark.parametrize("status", RequestStatus.values)
def test_every_certification_request_status_has_a_kind(status):
    assert audit.get_kind(f"certification_request.{status}")


@pytest.mark.parametrize("status", TemplateStatus.values)
def test_every_workflow_template_status_has_a_kind(status):
    assert audit.get_kind(f"workflow_template.{status}")
