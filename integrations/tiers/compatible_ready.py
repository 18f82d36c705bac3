"""The Compatible and Ready rows of DOMAIN.md's tier table, as rules of the tier engine.

Imported by the app's AppConfig before the Certified rules, so checklists list the tiers in order."""

from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.functional import lazy

from integrations.models import IntegrationKind, Tier
from integrations.tiers import engine as tiers
from integrations.tiers.engine import Facts, RuleResult


def _reverse(name: str, args: tuple, anchor: str) -> str:
    return reverse(name, args=args) + (f"#{anchor}" if anchor else "")


# Lazy: reversed only when a page shows the link; the dashboard evaluates every rule of many
# integrations and shows none.
_lazy_reverse = lazy(_reverse, str)


def _url(name: str, *args, anchor: str = "") -> str:
    return _lazy_reverse(name, args, anchor)


def _pass(message: str) -> RuleResult:
    return RuleResult(True, message)


# --- Compatible --------------------------------------------------------------------------


@tiers.register("provider_profile_complete", Tier.COMPATIBLE, "Provider profile complete")
def provider_profile_complete(facts: Facts) -> RuleResult:
    provider = facts.integration.application.provider
    missing = [label for label, value in (("a company URL", provider.website), ("a logo", provider.logo)) if not value]
    if not missing:
        return _pass(f"{provider.name} has a name, a company URL and a logo.")
    return RuleResult(
        False,
        f"{provider.name}'s provider profile needs {' and '.join(missing)}; its owners complete it "
        "under Public profile.",
        # The provider's own members land on the field to fill; anyone else on the profile they read.
        _url("public_profile_edit", anchor="id_website" if not provider.website else "id_logo")
        if facts.integration.owner_id == provider.pk
        else _url("provider_detail", provider.slug),
    )


@tiers.register("application_complete", Tier.COMPATIBLE, "Application registered with a logo and a version")
def application_complete(facts: Facts) -> RuleResult:
    application = facts.integration.application
    missing = []
    if not application.logo:
        missing.append("a logo")
    if not facts.application_version_count:
        missing.append("at least one version")
    if not missing:
        count = facts.application_version_count
        return _pass(f"{application.name} has a name, a logo and {count} version{pluralize(count)}.")
    return RuleResult(
        False,
        f"{application.name} needs {' and '.join(missing)}. Its provider adds them, or anyone can submit a "
        "missing version.",
        _application_fix_url(facts, needs_logo=not application.logo),
    )


@tiers.register("event_service_declared", Tier.COMPATIBLE, "Hook, queue or event services")
def event_service_declared(facts: Facts) -> RuleResult:
    if facts.integration.event_services:
        return _pass("Provides " + ", ".join(facts.integration.event_services).lower() + " services.")
    return RuleResult(
        False, "Declare which event services it provides: hook, queue or event.", _edit_url(facts, "event-services")
    )


@tiers.register("hosting_model_declared", Tier.COMPATIBLE, "Hosting models")
def hosting_model_declared(facts: Facts) -> RuleResult:
    if facts.integration.hosting_models:
        return _pass("Hosted in " + ", ".join(facts.integration.hosting_models).lower() + ".")
    return RuleResult(
        False,
        "Declare where it can be hosted: multitenant cloud, private cloud or on-premise.",
        _edit_url(facts, "hosting-models"),
    )


@tiers.register("application_versions_declared", Tier.COMPATIBLE, "Supported application versions")
def application_versions_declared(facts: Facts) -> RuleResult:
    if facts.supported_version_count:
        count = facts.supported_version_count
        return _pass(f"Supports {count} version{pluralize(count)} of {facts.integration.application.name}.")
    return RuleResult(
        False,
        f"Declare which versions of {facts.integration.application.name} version {facts.version.number} supports.",
        _url(
            "integration_version_edit", facts.integration.slug, facts.version.public_id, anchor="id_supported_versions"
        ),
    )


@tiers.register("api_described", Tier.COMPATIBLE, "OpenAPI 2.0 document or SDK connector")
def api_described(facts: Facts) -> RuleResult:
    integration = facts.integration
    if integration.kind == IntegrationKind.SDK:
        if integration.has_sdk_connector:
            return _pass(f"Connector {integration.sdk_package} ({integration.sdk_language}) is recorded.")
        return RuleResult(
            False, "Record the SDK connector: package, language and URL.", _edit_url(facts, "id_sdk_package")
        )
    if facts.current_import_valid:
        return _pass("The OpenAPI 2.0 document validates with no errors.")
    message = (
        "The current OpenAPI document has errors: fix them and upload it again."
        if facts.has_import
        else "Upload the application's OpenAPI 2.0 document."
    )
    return RuleResult(False, message, _url("integration_openapi", integration.slug, anchor="id_document"))


@tiers.register("data_movement_and_scopes_described", Tier.COMPATIBLE, "Data movement and webhook scopes described")
def data_movement_and_scopes_described(facts: Facts) -> RuleResult:
    missing = []
    if not facts.integration.data_movement.strip():
        missing.append("describe how data moves between the application and iPaaS.com")
    if not facts.scope_count:
        missing.append("declare the webhook scopes it supports")
    if not missing:
        count = facts.scope_count
        return _pass(
            f"Data movement is described and {count} webhook scope{pluralize(count)} "
            f"{pluralize(count, 'is,are')} declared."
        )
    field = "id_data_movement" if not facts.integration.data_movement.strip() else "id_scopes"
    return RuleResult(False, " and ".join(missing).capitalize() + ".", _edit_url(facts, field))


# --- Ready -------------------------------------------------------------------------------


@tiers.register("integrator_associated", Tier.READY, "An integrator associated")
def integrator_associated(facts: Facts) -> RuleResult:
    owner = facts.integration.owner
    if owner.is_integrator:
        return _pass(f"{owner.name} builds it as its integrator.")
    if facts.accepted_associations:
        count = facts.accepted_associations
        return _pass(f"{count} integrator{pluralize(count)} {pluralize(count, 'is,are')} associated.")
    return RuleResult(
        False,
        "An integrator must be associated: integrators ask from the integration's page, and you accept them.",
        _url("integration_associations", facts.integration.slug),
    )


@tiers.register("connection_established", Tier.READY, "Connection established")
def connection_established(facts: Facts) -> RuleResult:
    if facts.verified_event_count:
        return _pass("A verified test event reached the sandbox inbox.")
    return RuleResult(
        False,
        "Send a signed test event for one of the declared scopes to the sandbox inbox.",
        # The snippets that send one appear once a scope is declared; until then, where to declare one.
        _url(
            "integration_inbox",
            facts.integration.slug,
            anchor="snippets-heading" if facts.scope_count else "scopes-heading",
        ),
    )


@tiers.register("readiness_designated", Tier.READY, "Readiness designated")
def readiness_designated(facts: Facts) -> RuleResult:
    version = facts.version
    if version.ready_designated_at:
        who = version.ready_designated_by or "a qualified integrator"
        return _pass(f"Designated ready by {who} on {version.ready_designated_at:%Y-%m-%d}.")
    return RuleResult(
        False,
        "Once everything above passes, a qualified integrator designates this version ready.",
        _url("integration_detail", facts.integration.slug, anchor="tiers-heading"),
    )


def _edit_url(facts: Facts, anchor: str) -> str:
    """The declarations form, scrolled to the field (or group of fields) that fixes the rule."""
    return _url("integration_edit", facts.integration.slug, anchor=anchor)


def _application_fix_url(facts: Facts, *, needs_logo: bool) -> str:
    application = facts.integration.application
    if facts.integration.owner_id != application.provider_id:
        return (
            _url("version_submit", application.slug) if not needs_logo else _url("application_detail", application.slug)
        )
    if needs_logo:
        return _url("application_edit", application.slug, anchor="id_logo")
    return _url("version_create", application.slug)
