"""The approved workflow templates on a One-Click integration's page (the certification app keeps
them; the page lists what every visitor may read, each with its definition to download)."""

from certification.workflow_templates.selectors import approved_templates
from integrations.models import Tier
from marketplace.detail.sections import register_detail_section


def templates_section(request, listing) -> dict | None:
    integration = listing.integration
    if integration.tier < Tier.ONE_CLICK:
        return None
    templates = approved_templates(integration)
    return {"templates": templates} if templates else None


def register() -> None:
    register_detail_section(
        "workflow_templates", "marketplace/detail/_workflow_templates.html", templates_section, order=10
    )
