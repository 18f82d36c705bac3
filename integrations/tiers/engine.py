"""The tier rules engine.

Each requirement of DOMAIN.md's tier table is a named rule: a function of an IntegrationVersion
(and facts loaded once for it) that passes or fails with a message saying what to do and a link
to the page where it is done. A version's tier is the highest tier whose rules, and every lower
tier's rules, all pass. Later apps (certification, workflow templates) add their rules with
`register`, so this module never imports them; what their rules read they load into
`Facts.extra` with a loader (`register_loader`), for many versions at once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from integrations.models import (
    AssociationStatus,
    ImportStatus,
    Integration,
    IntegrationKind,
    IntegrationVersion,
    Tier,
    TierChange,
    VersionStatus,
    semver_key,
)
from portal.services import record


@dataclass(frozen=True)
class RuleResult:
    passed: bool
    message: str
    url: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    tier: Tier
    title: str
    check: Callable[["Facts"], RuleResult]


@dataclass
class Facts:
    """Everything the rules read, loaded with a fixed number of queries per version."""

    version: IntegrationVersion
    integration: Integration
    supported_version_count: int
    application_version_count: int
    current_import_valid: bool
    has_import: bool
    scope_count: int
    accepted_associations: int
    verified_event_count: int
    extra: dict = field(default_factory=dict)  # what later apps' rules load for themselves


@dataclass(frozen=True)
class TierChecklist:
    tier: Tier
    results: list[tuple[Rule, RuleResult]]

    @property
    def passed(self) -> bool:
        return all(result.passed for _, result in self.results)

    @property
    def to_do(self) -> list[tuple[Rule, RuleResult]]:
        return [(rule, result) for rule, result in self.results if not result.passed]


RULES: list[Rule] = []
FactLoader = Callable[[list["Facts"]], None]
LOADERS: dict[str, FactLoader] = {}


def register(code: str, tier: Tier, title: str):
    """Adds a rule to the engine; rules keep the order they were registered in."""

    def decorator(check: Callable[[Facts], RuleResult]):
        RULES[:] = [rule for rule in RULES if rule.code != code] + [Rule(code, tier, title, check)]
        return check

    return decorator


def register_loader(code: str):
    """Adds a loader that fills `Facts.extra` for a later module's rules. It gets the facts of
    many versions at once (the dashboard evaluates every integration on one page) and must load
    them with a fixed number of queries, whatever their number."""

    def decorator(loader: FactLoader):
        LOADERS[code] = loader
        return loader

    return decorator


def load_extra(facts: list["Facts"]) -> None:
    for loader in LOADERS.values():
        loader(facts)


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


def _pass(message: str) -> RuleResult:
    return RuleResult(True, message)


# --- Compatible --------------------------------------------------------------------------


@register("provider_profile_complete", Tier.COMPATIBLE, "Provider profile complete")
def provider_profile_complete(facts: Facts) -> RuleResult:
    provider = facts.integration.application.provider
    missing = [label for label, value in (("a company URL", provider.website), ("a logo", provider.logo)) if not value]
    if not missing:
        return _pass(f"{provider.name} has a name, a company URL and a logo.")
    return RuleResult(
        False,
        f"{provider.name}'s provider profile needs {' and '.join(missing)}; its owners complete it "
        "under Public profile.",
        _url("provider_detail", provider.slug),
    )


@register("application_complete", Tier.COMPATIBLE, "Application registered with a logo and a version")
def application_complete(facts: Facts) -> RuleResult:
    application = facts.integration.application
    missing = []
    if not application.logo:
        missing.append("a logo")
    if not facts.application_version_count:
        missing.append("at least one version")
    if not missing:
        return _pass(f"{application.name} has a name, a logo and {facts.application_version_count} version(s).")
    return RuleResult(
        False,
        f"{application.name} needs {' and '.join(missing)}. Its provider adds them, or anyone can submit a "
        "missing version.",
        _url("application_detail", application.slug),
    )


@register("event_service_declared", Tier.COMPATIBLE, "Hook, queue or event services")
def event_service_declared(facts: Facts) -> RuleResult:
    if facts.integration.event_services:
        return _pass("Provides " + ", ".join(facts.integration.event_services).lower() + " services.")
    return RuleResult(False, "Declare which event services it provides: hook, queue or event.", _edit_url(facts))


@register("hosting_model_declared", Tier.COMPATIBLE, "Hosting models")
def hosting_model_declared(facts: Facts) -> RuleResult:
    if facts.integration.hosting_models:
        return _pass("Hosted in " + ", ".join(facts.integration.hosting_models).lower() + ".")
    return RuleResult(
        False, "Declare where it can be hosted: multitenant cloud, private cloud or on-premise.", _edit_url(facts)
    )


@register("application_versions_declared", Tier.COMPATIBLE, "Supported application versions")
def application_versions_declared(facts: Facts) -> RuleResult:
    if facts.supported_version_count:
        return _pass(f"Supports {facts.supported_version_count} version(s) of {facts.integration.application.name}.")
    return RuleResult(
        False,
        f"Declare which versions of {facts.integration.application.name} version {facts.version.number} supports.",
        _url("integration_version_edit", facts.integration.slug, facts.version.public_id),
    )


@register("api_described", Tier.COMPATIBLE, "OpenAPI 2.0 document or SDK connector")
def api_described(facts: Facts) -> RuleResult:
    integration = facts.integration
    if integration.kind == IntegrationKind.SDK:
        if integration.has_sdk_connector:
            return _pass(f"Connector {integration.sdk_package} ({integration.sdk_language}) is recorded.")
        return RuleResult(False, "Record the SDK connector: package, language and URL.", _edit_url(facts))
    if facts.current_import_valid:
        return _pass("The OpenAPI 2.0 document validates with no errors.")
    message = (
        "The current OpenAPI document has errors: fix them and upload it again."
        if facts.has_import
        else "Upload the application's OpenAPI 2.0 document."
    )
    return RuleResult(False, message, _url("integration_openapi", integration.slug))


@register("data_movement_and_scopes_described", Tier.COMPATIBLE, "Data movement and webhook scopes described")
def data_movement_and_scopes_described(facts: Facts) -> RuleResult:
    missing = []
    if not facts.integration.data_movement.strip():
        missing.append("describe how data moves between the application and iPaaS.com")
    if not facts.scope_count:
        missing.append("declare the webhook scopes it supports")
    if not missing:
        return _pass(f"Data movement is described and {facts.scope_count} webhook scope(s) are declared.")
    return RuleResult(False, " and ".join(missing).capitalize() + ".", _edit_url(facts))


# --- Ready -------------------------------------------------------------------------------


@register("integrator_associated", Tier.READY, "An integrator associated")
def integrator_associated(facts: Facts) -> RuleResult:
    owner = facts.integration.owner
    if owner.is_integrator:
        return _pass(f"{owner.name} builds it as its integrator.")
    if facts.accepted_associations:
        return _pass(f"{facts.accepted_associations} integrator(s) are associated.")
    return RuleResult(
        False,
        "An integrator must be associated: integrators ask from the integration's page, and you accept them.",
        _url("integration_associations", facts.integration.slug),
    )


@register("connection_established", Tier.READY, "Connection established")
def connection_established(facts: Facts) -> RuleResult:
    if facts.verified_event_count:
        return _pass("A verified test event reached the sandbox inbox.")
    return RuleResult(
        False,
        "Send a signed test event for one of the declared scopes to the sandbox inbox.",
        _url("integration_inbox", facts.integration.slug),
    )


@register("readiness_designated", Tier.READY, "Readiness designated")
def readiness_designated(facts: Facts) -> RuleResult:
    version = facts.version
    if version.ready_designated_at:
        who = version.ready_designated_by or "a qualified integrator"
        return _pass(f"Designated ready by {who} on {version.ready_designated_at:%Y-%m-%d}.")
    return RuleResult(
        False,
        "Once everything above passes, a qualified integrator designates this version ready.",
        _url("integration_detail", facts.integration.slug),
    )


def _edit_url(facts: Facts) -> str:
    return _url("integration_edit", facts.integration.slug)


# --- Evaluation ----------------------------------------------------------------------------


def load_facts(version: IntegrationVersion) -> Facts:
    integration = Integration.objects.select_related("application__provider", "owner").get(pk=version.integration_id)
    current = integration.openapi_imports.filter(status=ImportStatus.DONE).order_by("-created_at", "-id").first()
    facts = Facts(
        version=version,
        integration=integration,
        supported_version_count=version.supported_versions.count(),
        application_version_count=integration.application.versions.count(),
        current_import_valid=bool(current and current.is_valid_openapi2),
        has_import=current is not None,
        scope_count=integration.scopes.count(),
        accepted_associations=integration.associations.filter(status=AssociationStatus.ACCEPTED).count(),
        verified_event_count=integration.inbox_events.count(),
    )
    load_extra([facts])
    return facts


def evaluate(version: IntegrationVersion, facts: Facts | None = None) -> list[TierChecklist]:
    facts = facts or load_facts(version)
    checklists = []
    for tier in Tier:
        if tier == Tier.NONE:
            continue
        results = [(rule, rule.check(facts)) for rule in RULES if rule.tier == tier]
        checklists.append(TierChecklist(tier, results))
    return checklists


def reached_tier(checklists: list[TierChecklist]) -> Tier:
    reached = Tier.NONE
    for checklist in checklists:
        if not checklist.results or not checklist.passed:
            break
        reached = checklist.tier
    return reached


def may_designate_ready(version: IntegrationVersion) -> bool:
    """Every Ready rule but the designation itself passes (and so does every Compatible rule)."""
    checklists = evaluate(version)
    for checklist in checklists:
        if checklist.tier == Tier.COMPATIBLE and not checklist.passed:
            return False
        if checklist.tier == Tier.READY:
            return all(result.passed for rule, result in checklist.results if rule.code != "readiness_designated")
    return False


def shown_version(integration: Integration) -> IntegrationVersion | None:
    """The newest published version: the one whose tier the integration shows."""
    published = list(integration.versions.filter(status=VersionStatus.PUBLISHED))
    return max(published, key=lambda v: semver_key(v.number), default=None)


def recompute(integration: Integration, *, cause: str) -> Tier:
    """Recomputes every version's tier and the integration's, recording a change with its cause.

    Called inside the actions that change what a rule reads; safe to call twice."""
    with transaction.atomic():
        integration = Integration.objects.select_for_update().get(pk=integration.pk)
        for version in integration.versions.all():
            tier = reached_tier(evaluate(version))
            if tier != version.tier:
                version.tier = tier
                version.save(update_fields=["tier"])
        shown = shown_version(integration)
        new_tier = Tier(shown.tier) if shown else Tier.NONE
        if new_tier != integration.tier:
            TierChange.objects.create(
                integration=integration, version=shown, from_tier=integration.tier, to_tier=new_tier, cause=cause[:200]
            )
            record(
                actor=None,
                action="integration.tier_changed",
                organization=integration.owner,
                target=integration.name,
                from_state=Tier(integration.tier).label,
                to_state=new_tier.label,
                comment=cause,
            )
            integration.tier = new_tier
            integration.updated_at = timezone.now()
            integration.save(update_fields=["tier", "updated_at"])
    return new_tier


def recompute_for_application(application, *, cause: str) -> None:
    """A change to the registry (logo, versions, provider profile) can move every integration of it."""
    for integration in Integration.objects.filter(application=application):
        recompute(integration, cause=cause)
