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
from django.utils import timezone

from integrations.models import (
    AssociationStatus,
    ImportStatus,
    Integration,
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
    # The integration's webhook scopes with their links, when the caller loaded them (load_facts
    # does); the Certified loader reads them for the facts that lack them.
    scopes: list | None = None
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


# --- Evaluation ----------------------------------------------------------------------------


def _integration_of(version: IntegrationVersion) -> Integration:
    """The version's integration with its application, provider and owner: the one the caller
    already holds when it has all of them, else read (once)."""
    if IntegrationVersion.integration.is_cached(version):
        integration = version.integration
        if (
            Integration.owner.is_cached(integration)
            and Integration.application.is_cached(integration)
            and type(integration.application).provider.is_cached(integration.application)
        ):
            return integration
    return Integration.objects.select_related("application__provider", "owner").get(pk=version.integration_id)


def load_facts(version: IntegrationVersion) -> Facts:
    integration = _integration_of(version)
    current = integration.openapi_imports.filter(status=ImportStatus.DONE).order_by("-created_at", "-id").first()
    # Read once, with their links, for the Certified rules too (they read every scope's link).
    scopes = list(integration.scopes.select_related("link__collection").order_by("name", "pk"))
    facts = Facts(
        version=version,
        integration=integration,
        supported_version_count=version.supported_versions.count(),
        application_version_count=integration.application.versions.count(),
        current_import_valid=bool(current and current.is_valid_openapi2),
        has_import=current is not None,
        scope_count=len(scopes),
        accepted_associations=integration.associations.filter(status=AssociationStatus.ACCEPTED).count(),
        verified_event_count=integration.inbox_events.count(),
        scopes=scopes,
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


def checklist_summary(checklists: list[TierChecklist]) -> dict:
    """What the dashboard shows of a version's checklists, as JSON: each tier's rules passed of
    its rules ("progress": [[tier, passed, total], ...], the tiers a later app adds but has no
    rules for left out) and the first thing to do for the first tier not reached ("next", empty
    when every tier is). recompute keeps it on the version, so the dashboard reads it instead of
    evaluating every rule of every integration it lists."""
    progress, next_message = [], ""
    for checklist in checklists:
        if not checklist.results:
            continue
        passed = sum(1 for _, result in checklist.results if result.passed)
        progress.append([int(checklist.tier), passed, len(checklist.results)])
        if not next_message and not checklist.passed:
            next_message = str(checklist.to_do[0][1].message)
    return {"progress": progress, "next": next_message}


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
        integration = Integration.objects.lock(integration)
        for version in integration.versions.all():
            checklists = evaluate(version)
            tier, summary = reached_tier(checklists), checklist_summary(checklists)
            if tier != version.tier or summary != version.checklist:
                version.tier, version.checklist = tier, summary
                version.save(update_fields=["tier", "checklist"])
        shown = shown_version(integration)
        new_tier = Tier(shown.tier) if shown else Tier.NONE
        if new_tier != integration.tier:
            TierChange.objects.create(
                integration=integration, version=shown, from_tier=integration.tier, to_tier=new_tier, cause=cause[:200]
            )
            record(
                actor=None,
                kind="integration.tier_changed",
                organization=integration.owner,
                target=integration,
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
