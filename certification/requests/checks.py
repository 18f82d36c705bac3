"""The automated checks of a certification request, each a named result with its outcome, a
message and the evidence it read: every tier rule but the approval itself, every mapping test run
afresh on the template mappings as they are now, the OpenAPI document validated again (Dynamic
integrations), and each declared webhook scope's latest verified event."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.template.defaultfilters import pluralize

from integrations import openapi
from integrations.mapping_tests.services import evaluate_mapping_tests
from integrations.models import (
    ImportStatus,
    InboxEvent,
    IntegrationKind,
    IntegrationVersion,
    Outcome,
    Tier,
    WebhookScope,
)
from integrations.tiers import engine as tiers
from integrations.tiers.certified import APPROVAL

MAX_EVIDENCE_ITEMS = 20


@dataclass(frozen=True)
class Check:
    kind: str
    name: str
    passed: bool
    message: str
    evidence: dict = field(default_factory=dict)


def rule_checks(version: IntegrationVersion) -> Iterator[Check]:
    for checklist in tiers.evaluate(version):
        if checklist.tier > Tier.CERTIFIED:
            break  # One-Click comes after certification: its rules are not the reviewers' to check
        for rule, result in checklist.results:
            if rule.code == APPROVAL:
                continue
            evidence = {"rule": rule.code, "tier": checklist.tier.label, "url": str(result.url)}
            yield Check("rule", f"{checklist.tier.label}: {rule.title}", result.passed, result.message, evidence)


def mapping_test_checks(version: IntegrationVersion) -> Iterator[Check]:
    evaluated = evaluate_mapping_tests(version)
    if not evaluated:
        yield Check("test", "Mapping tests", False, "The version has no mapping tests.", {})
    for test, result in evaluated:
        passed = result.outcome == Outcome.PASS
        message = "The output is the expected one." if passed else (result.error or _diff_message(result.diff))
        evidence = {
            "mapping": test.mapping.name,
            "mapping_revision": result.mapping_revision,
            "outcome": result.outcome,
            "differences": (result.diff or [])[:MAX_EVIDENCE_ITEMS],
        }
        yield Check("test", f"Mapping test “{test.name}” ({test.mapping.name})", passed, message, evidence)


def _diff_message(diff: list) -> str:
    count = len(diff or [])
    return f"The output differs from the expected one in {count} place{'s' if count != 1 else ''}."


def openapi_check(version: IntegrationVersion) -> Check | None:
    integration = version.integration
    if integration.kind != IntegrationKind.DYNAMIC:
        return None
    name = "OpenAPI 2.0 document validated again"
    document = integration.openapi_imports.filter(status=ImportStatus.DONE).order_by("-created_at", "-id").first()
    if document is None:
        return Check("openapi", name, False, "The integration has no imported OpenAPI document.", {})
    try:
        with document.document.open("rb") as stored:
            raw = stored.read(openapi.MAX_BYTES + 1)
    except OSError:
        message = f"The stored copy of {document.filename} cannot be read: upload the document again."
        return Check("openapi", name, False, message, {"document": document.filename})
    analysis = openapi.analyse(raw, document.filename)
    evidence = {
        "document": document.filename,
        "sha256": document.sha256,
        "version": analysis.version,
        "paths": analysis.path_count,
        "errors": [f"{p.location}: {p.message}" for p in analysis.errors][:MAX_EVIDENCE_ITEMS],
    }
    if analysis.refused:
        return Check("openapi", name, False, analysis.refused, evidence)
    if analysis.errors:
        return Check(
            "openapi",
            name,
            False,
            f"{document.filename} has {len(analysis.errors)} error{pluralize(len(analysis.errors))}.",
            evidence,
        )
    return Check("openapi", name, True, f"{document.filename} is a valid OpenAPI 2.0 document.", evidence)


def scope_checks(version: IntegrationVersion) -> Iterator[Check]:
    scopes = list(WebhookScope.objects.filter(integration_id=version.integration_id).order_by("name"))
    latest: dict[str, InboxEvent] = {}
    for event in InboxEvent.objects.filter(integration_id=version.integration_id).order_by("-received_at", "-id"):
        latest.setdefault(event.scope.lower(), event)
    for scope in scopes:
        name = f"Webhook scope {scope.name}: latest verified event"
        event = latest.get(scope.name.lower())
        if event is not None:
            evidence = {
                "webhook_id": event.webhook_id,
                "sent_at": event.sent_at.isoformat(),
                "received_at": event.received_at.isoformat(),
            }
            message = f"Verified event {event.webhook_id} received {event.received_at:%Y-%m-%d %H:%M} UTC."
            yield Check("scope", name, True, message, evidence)
        elif scope.first_seen_at:
            message = "Seen in a verified event, which the sandbox inbox no longer keeps: send a new one."
            yield Check("scope", name, False, message, {"first_seen_at": scope.first_seen_at.isoformat()})
        else:
            yield Check("scope", name, False, "No verified event names this scope: send a signed test event.", {})
