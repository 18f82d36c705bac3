"""Every change to an integration's declarations and versions goes through one of these actions.

Same order as the registry's: check who may act, lock the integration row inside a transaction,
change it, record an AuditEvent, then recompute the tier (integrations.tiers.engine) inside the same
transaction, since every declaration here is something a tier rule reads.

Who edits what: members (owner or admin) of the owner organization edit everything; an associated
integrator's owners and admins edit the declarations, discovery notes, scopes and SDK connector,
but not the name, the pricing or the private partner brief, which are the owner's commercial word.
"""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from integrations.access import may_work_on
from integrations.inbox import services as inbox_services
from integrations.models import (
    Application,
    ApplicationVersion,
    Integration,
    IntegrationVersion,
    MappingTest,
    TemplateMapping,
    TemplateMappingRow,
    VersionStatus,
    WebhookScope,
)
from integrations.tiers import engine as tiers
from integrations.workspace import selectors
from integrations.workspace.freeze import refuse_if_declarations_frozen
from portal.models import Organization, User, save_with_unique_slug
from portal.services import ActionRefused, record

# Declarations anyone who may work on the integration edits.
DECLARATION_FIELDS = (
    "kind",
    "has_hook",
    "has_queue",
    "has_event",
    "hosts_multitenant_cloud",
    "hosts_private_cloud",
    "hosts_on_premise",
    "description",
    "features",
    "data_movement",
    "workflow_documentation",
    "value_proposition",
    "target_customers",
    "business_logic",
    "known_gaps",
    "nda_status",
    "contact_integrator",
    "contact_third_party",
    "contact_red_rook",
    "sdk_package",
    "sdk_language",
    "sdk_url",
    "sdk_version",
)
# Only the owner organization changes these.
OWNER_ONLY_FIELDS = (
    "name",
    "price_up_front",
    "price_per_month",
    "brief_typical_market",
    "brief_ideal_buyer",
    "brief_positioning",
)
EDITABLE_FIELDS = frozenset(DECLARATION_FIELDS + OWNER_ONLY_FIELDS)

# The moves a version may make: a published version stays published.
VERSION_TRANSITIONS: dict[str, frozenset[str]] = {
    VersionStatus.DRAFT: frozenset({VersionStatus.PUBLISHED}),
    VersionStatus.PUBLISHED: frozenset(),
}

DUPLICATE_VERSION = "{integration} already has a version {number}."
DUPLICATE_INTEGRATION = "{owner} already has an integration called “{name}”."
NOT_AN_INTEGRATOR = "Only integrator and application provider organizations build integrations."
NOT_QUALIFIED = (
    "Readiness is designated by a qualified integrator: a member of an integrator organization that owns "
    "or is associated with this integration, with a verified email address."
)
NOT_YET_READY = "Readiness can be designated once every other Compatible and Ready requirement passes."


def _lock(integration: Integration) -> Integration:
    return (
        Integration.objects.select_for_update(of=("self",))
        .select_related("application", "owner")
        .get(pk=integration.pk)
    )


def _refuse_unknown_fields(fields: dict) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ActionRefused(f"These cannot be set here: {', '.join(sorted(unknown))}.")


def _set_scopes(integration: Integration, names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Makes the declared scopes exactly ``names`` (compared without case). Scopes kept keep their
    first_seen_at; a removed scope's verified events stay in the inbox, they only stop counting."""
    wanted = {name.lower(): name for name in names}
    existing = {scope.name.lower(): scope for scope in integration.scopes.all()}
    removed = [scope.name for key, scope in existing.items() if key not in wanted]
    added = [name for key, name in wanted.items() if key not in existing]
    integration.scopes.filter(pk__in=[scope.pk for key, scope in existing.items() if key not in wanted]).delete()
    WebhookScope.objects.bulk_create(WebhookScope(integration=integration, name=name) for name in added)
    return added, removed


def _scopes_differ(integration: Integration, names: Iterable[str]) -> bool:
    return {name.lower() for name in names} != {
        name.lower() for name in integration.scopes.values_list("name", flat=True)
    }


def _scope_comment(added: list[str], removed: list[str]) -> str:
    parts = []
    if added:
        parts.append("scopes added: " + ", ".join(sorted(added)))
    if removed:
        parts.append("scopes removed: " + ", ".join(sorted(removed)))
    return "; ".join(parts)


def _refuse_duplicate_name(owner: Organization, name: str, *, exclude_pk: int | None = None) -> None:
    if owner.integrations.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ActionRefused(DUPLICATE_INTEGRATION.format(owner=owner.name, name=name))


def may_create_integrations(organization: Organization | None) -> bool:
    return organization is not None and (organization.is_integrator or organization.is_provider)


def create_integration(
    owner: Organization,
    *,
    acting_user: User,
    application: Application,
    scopes: Iterable[str] = (),
    **fields,
) -> Integration:
    if not may_create_integrations(owner):
        raise ActionRefused(NOT_AN_INTEGRATOR)
    if not application.is_published and application.provider_id != owner.pk:
        raise ActionRefused(f"{application.name} is not published yet.")
    _refuse_unknown_fields(fields)
    with transaction.atomic():
        owner = Organization.objects.select_for_update().get(pk=owner.pk)
        name = fields.pop("name", "") or f"{application.name} by {owner.name}"
        _refuse_duplicate_name(owner, name)
        integration = Integration(owner=owner, application=application, name=name, **fields)
        save_with_unique_slug(integration, name)
        added, _ = _set_scopes(integration, scopes)
        record(
            actor=acting_user,
            kind="integration.created",
            organization=owner,
            target=integration,
            to_state=integration.kind,
            comment=_scope_comment(added, []),
        )
        # Made now, not when its page is first opened: a page that only reads never makes a secret.
        inbox_services.create_inbox(integration, acting_user=acting_user)
        tiers.recompute(integration, cause="integration created")
    return integration


def update_integration(
    integration: Integration,
    *,
    acting_user: User,
    acting_organization: Organization,
    scopes: Iterable[str] | None = None,
    **fields,
) -> Integration:
    """Saves the declarations; ``scopes`` (when given) replaces the declared webhook scopes."""
    _refuse_unknown_fields(fields)
    scopes = list(scopes) if scopes is not None else None
    if not may_work_on(acting_organization, integration):
        raise ActionRefused("Your organization does not work on this integration.")
    is_owner = integration.owner_id == acting_organization.pk
    owner_only = sorted(set(fields) & set(OWNER_ONLY_FIELDS))
    if owner_only and not is_owner:
        raise ActionRefused(f"Only {integration.owner.name} changes the name, pricing and partner brief.")
    with transaction.atomic():
        integration = _lock(integration)
        if scopes is not None and _scopes_differ(integration, scopes):
            refuse_if_declarations_frozen(integration)
        changed = [name for name, value in fields.items() if getattr(integration, name) != value]
        for name, value in fields.items():
            setattr(integration, name, value)
        integration.updated_at = timezone.now()
        if "name" in changed:
            _refuse_duplicate_name(integration.owner, integration.name, exclude_pk=integration.pk)
        try:
            with transaction.atomic():  # a savepoint: a rename racing another to one name is refused, not a 500
                integration.save(update_fields=[*fields, "updated_at"])
        except IntegrityError as exc:
            raise ActionRefused(
                DUPLICATE_INTEGRATION.format(owner=integration.owner.name, name=integration.name)
            ) from exc
        added, removed = _set_scopes(integration, scopes) if scopes is not None else ([], [])
        record(
            actor=acting_user,
            kind="integration.updated",
            organization=integration.owner,
            target=integration,
            comment="; ".join(filter(None, [", ".join(changed)[:300], _scope_comment(added, removed)])),
        )
        tiers.recompute(integration, cause=f"declarations edited by {acting_organization.name}")
    return integration


# --- Versions ----------------------------------------------------------------------------


def _refuse_foreign_versions(integration: Integration, supported: Iterable[ApplicationVersion]) -> list:
    supported = list(supported)
    if any(version.application_id != integration.application_id for version in supported):
        raise ActionRefused(f"Choose only versions of {integration.application.name}.")
    return supported


def _refuse_duplicate_number(integration: Integration, number: str, *, exclude_pk: int | None = None) -> None:
    if integration.versions.filter(number=number).exclude(pk=exclude_pk).exists():
        raise ActionRefused(DUPLICATE_VERSION.format(integration=integration.name, number=number))


def _save_version(version: IntegrationVersion, **kwargs) -> None:
    """In a savepoint: a duplicate that slipped past the check (two requests at once) is caught by
    the database constraint and becomes a refusal without spoiling the outer transaction."""
    try:
        with transaction.atomic():
            version.save(**kwargs)
    except IntegrityError as exc:
        raise ActionRefused(
            DUPLICATE_VERSION.format(integration=version.integration.name, number=version.number)
        ) from exc


def create_integration_version(
    integration: Integration,
    *,
    acting_user: User,
    number: str,
    release_notes: str = "",
    supported_versions: Iterable[ApplicationVersion] = (),
) -> IntegrationVersion:
    with transaction.atomic():
        integration = _lock(integration)
        supported = _refuse_foreign_versions(integration, supported_versions)
        _refuse_duplicate_number(integration, number)
        version = IntegrationVersion(integration=integration, number=number, release_notes=release_notes)
        _save_version(version)
        version.supported_versions.set(supported)
        record(
            actor=acting_user,
            kind="integration_version.created",
            organization=integration.owner,
            target=version,
            target_label=number,
            within=integration,
            to_state=VersionStatus.DRAFT,
            comment=f"supports {len(supported)} application version{pluralize(len(supported))}",
        )
        tiers.recompute(integration, cause=f"version {number} created")
    return version


def update_integration_version(
    version: IntegrationVersion,
    *,
    acting_user: User,
    number: str,
    release_notes: str = "",
    supported_versions: Iterable[ApplicationVersion] = (),
) -> IntegrationVersion:
    with transaction.atomic():
        integration = _lock(version.integration)
        version = integration.versions.get(pk=version.pk)
        supported = _refuse_foreign_versions(integration, supported_versions)
        _refuse_duplicate_number(integration, number, exclude_pk=version.pk)
        before = version.number
        version.number, version.release_notes = number, release_notes
        _save_version(version, update_fields=["number", "release_notes"])
        version.supported_versions.set(supported)
        record(
            actor=acting_user,
            kind="integration_version.updated",
            organization=integration.owner,
            target=version,
            target_label=number,
            within=integration,
            from_state=before,
            to_state=number,
            comment=f"supports {len(supported)} application version{pluralize(len(supported))}",
        )
        tiers.recompute(integration, cause=f"version {number} edited")
    return version


def publish_integration_version(version: IntegrationVersion, *, acting_user: User) -> IntegrationVersion:
    with transaction.atomic():
        integration = _lock(version.integration)
        version = integration.versions.select_for_update().get(pk=version.pk)
        if VersionStatus.PUBLISHED not in VERSION_TRANSITIONS[version.status]:
            raise ActionRefused(f"Version {version.number} is already {version.get_status_display().lower()}.")
        before = version.status
        version.status = VersionStatus.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        record(
            actor=acting_user,
            kind="integration_version.published",
            organization=integration.owner,
            target=version,
            target_label=version.number,
            within=integration,
            from_state=before,
            to_state=version.status,
        )
        tiers.recompute(integration, cause=f"version {version.number} published")
    return version


# --- Readiness ---------------------------------------------------------------------------


def is_qualified_integrator(user: User, organization: Organization | None, integration: Integration) -> bool:
    """A member of an integrator organization that owns or is associated with the integration,
    with a verified email address."""
    return bool(
        organization is not None
        and organization.is_integrator
        and organization.memberships.filter(user=user).exists()
        and may_work_on(organization, integration)
        and EmailAddress.objects.filter(user=user, verified=True).exists()
    )


def designate_ready(
    version: IntegrationVersion, *, acting_user: User, acting_organization: Organization | None
) -> IntegrationVersion:
    if not is_qualified_integrator(acting_user, acting_organization, version.integration):
        raise ActionRefused(NOT_QUALIFIED)
    with transaction.atomic():
        integration = _lock(version.integration)
        version = integration.versions.select_for_update().get(pk=version.pk)
        if version.ready_designated_at:
            raise ActionRefused(f"Version {version.number} is already designated ready.")
        if not tiers.may_designate_ready(version):
            raise ActionRefused(NOT_YET_READY)
        version.ready_designated_by = acting_user
        version.ready_designated_at = timezone.now()
        version.save(update_fields=["ready_designated_by", "ready_designated_at"])
        record(
            actor=acting_user,
            kind="integration_version.designated_ready",
            organization=integration.owner,
            target=version,
            target_label=version.number,
            within=integration,
            comment=f"by {acting_user} for {acting_organization.name}",
        )
        tiers.recompute(integration, cause=f"version {version.number} designated ready by {acting_user}")
    return version


# --- A new version from an existing one ----------------------------------------------------


def start_new_version(
    version: IntegrationVersion, *, number: str, release_notes: str = "", acting_user: User
) -> IntegrationVersion:
    """A new draft version with a copy of ``version``'s supported application versions, template
    mappings (rows and parents included) and mapping tests, in one transaction. The integration's
    foreign data objects, scopes, links and translation tables belong to the integration, so the
    copy uses them as they are; edits of them made for the new version leave ``version``'s tier
    alone once it is certified (the approval keeps what the Certified rules read of them, see
    tiers.certified), and a translation table a frozen version uses keeps its entries.
    ``version`` is left as it was (and keeps its tier): a frozen version is how an integrator
    goes on working after a certification request."""
    with transaction.atomic():
        integration = _lock(version.integration)
        source = integration.versions.get(pk=version.pk)
        _refuse_duplicate_number(integration, number)
        new = IntegrationVersion(integration=integration, number=number, release_notes=release_notes)
        _save_version(new)
        new.supported_versions.set(source.supported_versions.all())
        copied = _copy_mappings(source, new)
        record(
            actor=acting_user,
            kind="integration_version.started",
            organization=integration.owner,
            target=new,
            target_label=number,
            within=integration,
            from_state=source.number,
            to_state=VersionStatus.DRAFT,
            comment=f"copied from {source.number}: {copied}",
        )
        tiers.recompute(integration, cause=f"version {number} started from {source.number}")
    return new


def _copy_mappings(source: IntegrationVersion, new: IntegrationVersion) -> str:
    now = timezone.now()
    mappings = list(TemplateMapping.objects.filter(version=source).order_by("pk"))
    copies = {}
    for mapping in mappings:
        copies[mapping.pk] = TemplateMapping(
            version=new,
            **{f: getattr(mapping, f) for f in MAPPING_COPY_FIELDS},
            created_at=now,
            updated_at=now,
        )
    TemplateMapping.objects.bulk_create(copies.values())
    for mapping in mappings:
        if mapping.parent_id in copies:
            copies[mapping.pk].parent = copies[mapping.parent_id]
    TemplateMapping.objects.bulk_update([c for c in copies.values() if c.parent_id], ["parent"])
    rows = TemplateMappingRow.objects.filter(mapping__version=source)
    TemplateMappingRow.objects.bulk_create(
        TemplateMappingRow(mapping=copies[row.mapping_id], **{f: getattr(row, f) for f in ROW_COPY_FIELDS})
        for row in rows
    )
    tests = list(MappingTest.objects.filter(mapping__version=source))
    MappingTest.objects.bulk_create(
        MappingTest(mapping=copies[t.mapping_id], **{f: getattr(t, f) for f in TEST_COPY_FIELDS}) for t in tests
    )
    return (
        f"{len(mappings)} template mapping{pluralize(len(mappings))}, {len(tests)} mapping test{pluralize(len(tests))}"
    )


MAPPING_COPY_FIELDS = (
    "name",
    "collection_id",
    "direction",
    "sync_type",
    "collision_handling",
    "mapping_filter",
    "error_filter",
    "notes",
)
ROW_COPY_FIELDS = (
    "target",
    "kind",
    "source",
    "formula",
    "value",
    "table_id",
    "has_default",
    "default",
    "notes",
    "position",
)
TEST_COPY_FIELDS = ("name", "description", "sample", "parent", "expected", "created_by_id")


def fill_missing_checklists(batch: int = 500) -> int:
    """Keeps the checklist summary (tiers.checklist_summary) on each integration's progress_version
    (the one the dashboard shows) that has none: versions from before recompute kept them, or
    bulk-inserted ones (a generated world). The dashboard evaluates such a version on every visit
    until it has one. Evaluated a batch of integrations at a time, as the dashboard evaluates
    them; no tier changes. Answers how many versions were filled (0 once none is missing)."""
    shown = selectors.progress_versions(
        IntegrationVersion.objects.only("integration_id", "number", "status", "checklist")
    )
    pending = sorted(pk for pk, version in shown.items() if version.checklist is None)
    filled = 0
    for start in range(0, len(pending), batch):
        found = selectors.evaluated_checklists(pending[start : start + batch])
        with transaction.atomic():
            for pk, summary in found.values():
                # Only where still missing: a recompute meanwhile wrote what is newer than this.
                filled += IntegrationVersion.objects.filter(pk=pk, checklist__isnull=True).update(checklist=summary)
    return filled
