"""The One-Click row of the tier table, handed to the integrations app's tier engine: a version is
One-Click when it is Certified and has at least one approved workflow template. The engine never
imports this app; the rule and the loader of what it reads register from the AppConfig."""

from django.template.defaultfilters import pluralize

from certification.workflow_templates.models import WorkflowTemplate
from integrations.models import Tier
from integrations.tiers import engine as tiers
from integrations.tiers.engine import Facts, RuleResult

APPROVED = "workflow_templates_approved"


def load_approved_templates(facts: list[Facts]) -> None:
    """Puts, for each version, the names of its approved workflow templates (one query)."""
    if not facts:
        return
    approved: dict[int, list[str]] = {}
    rows = WorkflowTemplate.objects.approved().filter(version_id__in={f.version.pk for f in facts})
    for version_id, name in rows.order_by("name").values_list("version_id", "name"):
        approved.setdefault(version_id, []).append(name)
    for fact in facts:
        fact.extra[APPROVED] = approved.get(fact.version.pk, [])


def workflow_template_approved(facts: Facts) -> RuleResult:
    if APPROVED not in facts.extra:  # facts built by hand, without tiers.load_extra
        load_approved_templates([facts])
    approved = facts.extra[APPROVED]
    if approved:
        return RuleResult(True, f"Approved workflow template{pluralize(len(approved))}: {', '.join(approved)}.")
    return RuleResult(
        False,
        f"Submit a workflow template for version {facts.version.number} once it is Certified (a MiSP may too); "
        "Red Rook staff approve it.",
    )


def register() -> None:
    tiers.register_loader(APPROVED)(load_approved_templates)
    tiers.register(APPROVED, Tier.ONE_CLICK, "An approved workflow template for this version")(
        workflow_template_approved
    )
