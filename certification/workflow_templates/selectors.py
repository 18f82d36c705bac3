"""Reads of workflow templates, each with a fixed number of queries."""

import json

from certification.workflow_templates.models import WorkflowTemplate
from integrations.access import may_work_on
from integrations.models import Integration, IntegrationVersion, Tier, WebhookScope, semver_key

LIST_LIMIT = 50


def approved_templates(integration: Integration, *, limit: int = LIST_LIMIT) -> list[WorkflowTemplate]:
    """What every visitor of the integration sees (the marketplace's One-Click listing reads it too)."""
    approved = WorkflowTemplate.objects.approved().filter(version__integration=integration)
    return list(approved.select_related("version", "organization").order_by("-version__created_at", "name")[:limit])


def own_submissions(integration: Integration, organization, *, limit: int = LIST_LIMIT) -> list[WorkflowTemplate]:
    """Submissions not approved that the organization may follow: its own, or all of an integration it works on."""
    if organization is None:
        return []
    waiting = WorkflowTemplate.objects.filter(version__integration=integration).exclude(status="approved")
    if not may_work_on(organization, integration):
        waiting = waiting.filter(organization=organization)
    return list(waiting.select_related("version", "organization").order_by("-submitted_at", "-pk")[:limit])


def submission_reference(version: IntegrationVersion) -> dict:
    """What a definition may name: the integration's webhook scopes and the version's template
    mappings, with an example definition made of the first of each."""
    scopes = list(WebhookScope.objects.filter(integration_id=version.integration_id).order_by("name"))
    mappings = list(version.template_mappings.select_related("collection").order_by("name"))
    example = ""
    if mappings:
        trigger = {"type": "webhook", "scope": scopes[0].name} if scopes else {"type": "schedule", "every_minutes": 60}
        # A webhook brings a record into iPaaS.com: begin with a mapping To iPaaS when there is one.
        first = next((m for m in mappings if m.direction == "to_ipaas"), mappings[0])
        step = {"collection": first.collection.key, "direction": first.direction, "mapping": first.name}
        example = json.dumps({"trigger": trigger, "steps": [step]}, indent=2)
    return {"scopes": scopes, "mappings": mappings, "certified": version.tier >= Tier.CERTIFIED, "example": example}


def certified_versions(integration: Integration) -> list[IntegrationVersion]:
    return [v for v in integration.versions.all() if v.tier >= Tier.CERTIFIED]


def versions_with_templates(integration: Integration, versions) -> list[dict]:
    """For the workspace panel, one query: each version's approved templates, how many wait for
    staff, whether it may get templates (Certified), and the older version whose approved templates
    it could carry over (the newest one with a name this version does not have yet)."""
    rows: dict[int, dict] = {
        v.pk: {"version": v, "approved": [], "waiting": 0, "certified": v.tier >= Tier.CERTIFIED, "carry_from": None}
        for v in versions
    }
    live_names: dict[int, set[str]] = {pk: set() for pk in rows}
    templates = WorkflowTemplate.objects.filter(version__integration=integration).exclude(status="rejected")
    for template in templates.only("public_id", "name", "status", "version_id").order_by("name"):
        if template.version_id not in rows:
            continue
        live_names[template.version_id].add(template.name.lower())
        if template.is_approved:
            rows[template.version_id]["approved"].append(template)
        else:
            rows[template.version_id]["waiting"] += 1
    by_number = sorted(rows.values(), key=lambda row: semver_key(row["version"].number))
    for position, row in enumerate(by_number):
        mine = live_names[row["version"].pk]
        for older in reversed(by_number[:position]):
            if any(t.name.lower() not in mine for t in older["approved"]):
                row["carry_from"] = older["version"]
                break
    return list(rows.values())
