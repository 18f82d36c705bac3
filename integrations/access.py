"""Who may reach which object: the one place every view of the integrations app gets its objects from.

Reads go through the audience a queryset names (``Application.objects.visible_to(org)``);
edits go through the acting organization (``request.organization.applications``). Another
organization's private objects answer 404, never 403, so their existence is not revealed.
"""

from functools import wraps

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_group

from integrations.models import (
    Application,
    ApplicationVersion,
    Association,
    ForeignDataObject,
    Integration,
    IntegrationVersion,
    MappingTest,
    MappingTestRun,
    OpenAPIImport,
    TemplateMapping,
    TemplateMappingRow,
    TranslationTable,
)
from portal.models import Organization
from portal.tenancy import organization_required

NOT_A_PROVIDER = (
    "Only application provider organizations register applications. An owner can add "
    "“Application provider” to the organization's kinds in its Organization settings."
)
NO_PUBLIC_PROFILE = (
    "Only providers, integrators and MiSPs have a public profile. An owner can change the "
    "organization's kinds in its Organization settings."
)


def _kind_required(test, message: str, *, manage: bool):
    def decorator(view_func):
        @organization_required(manage=manage)
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not test(request.organization):
                raise PermissionDenied(message)
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator


def provider_required(view=None, *, manage: bool = False):
    """organization_required, and the acting organization must be an application provider."""
    decorator = _kind_required(lambda org: org.is_provider, NOT_A_PROVIDER, manage=manage)
    return decorator(view) if view is not None else decorator


def public_profile_required(view=None, *, manage: bool = False):
    """organization_required, and the acting organization must be a provider, integrator or MiSP."""
    decorator = _kind_required(lambda org: org.has_public_profile, NO_PUBLIC_PROFILE, manage=manage)
    return decorator(view) if view is not None else decorator


def get_application_for_view(request, slug: str) -> Application:
    """A published application, or a draft of the organization the person acts for."""
    try:
        return Application.objects.visible_to(request.organization).select_related("provider").get(slug=slug)
    except Application.DoesNotExist as exc:
        raise Http404("No such application") from exc


def get_application_for_edit(request, slug: str) -> Application:
    """An application of the acting organization; the view's decorator has checked the role."""
    try:
        return request.organization.applications.select_related("provider").get(slug=slug)
    except Application.DoesNotExist as exc:
        raise Http404("No such application in this organization") from exc


def get_version_for_edit(request, slug: str, public_id) -> ApplicationVersion:
    application = get_application_for_edit(request, slug)
    try:
        return application.versions.select_related("application__provider").get(public_id=public_id)
    except (ApplicationVersion.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No such version of this application") from exc


def _public_organization(slug: str, **kind) -> Organization:
    try:
        return Organization.objects.get(slug=slug, **kind)
    except Organization.DoesNotExist as exc:
        raise Http404("No such organization") from exc


def get_provider_for_view(slug: str) -> Organization:
    return _public_organization(slug, is_provider=True)


def get_integrator_for_view(slug: str) -> Organization:
    return _public_organization(slug, is_integrator=True)


def get_misp_for_view(slug: str) -> Organization:
    return _public_organization(slug, is_misp=True)


# --- Integrations ------------------------------------------------------------------------
# Who may work on an integration: members of its owner, and members of an organization whose
# association the owner accepted (a django-guardian grant to that organization's permission
# group). Both are judged for the organization the person is acting for right now.

WORK_ON_INTEGRATION = "integrations.work_on_integration"


def granted_integrations(organization: Organization | None):
    """Integrations another organization has let this one work on."""
    group = organization.get_permission_group() if organization is not None else None
    if group is None:
        return Integration.objects.none()
    return get_objects_for_group(group, WORK_ON_INTEGRATION, klass=Integration)


def workable_integrations(organization: Organization | None):
    """Integrations the organization owns or was granted, for dashboards and access checks."""
    if organization is None:
        return Integration.objects.none()
    granted = granted_integrations(organization).values("pk")
    return Integration.objects.filter(Q(owner=organization) | Q(pk__in=granted))


def may_work_on(organization: Organization | None, integration) -> bool:
    if organization is None:
        return False
    if integration.owner_id == organization.pk:
        return True
    group = organization.get_permission_group()
    return group is not None and ObjectPermissionChecker(group).has_perm("work_on_integration", integration)


def get_integration_for_work(request, slug: str):
    """An integration the acting organization owns or was granted; anyone else gets 404."""
    try:
        integration = Integration.objects.select_related("application__provider", "owner").get(slug=slug)
    except Integration.DoesNotExist as exc:
        raise Http404("No such integration") from exc
    if not may_work_on(request.organization, integration):
        raise Http404("No such integration")
    return integration


def get_integration_for_owner(request, slug: str):
    """An integration of the acting organization itself (owner-only actions: associations,
    deleting, secrets, its history); an associated integrator gets 403, anyone else 404."""
    integration = get_integration_for_work(request, slug)
    refuse_unless_owner(request, integration)
    return integration


def refuse_unless_owner(request, integration) -> None:
    """For what only the owner sees of an object it lets associated integrators work on (the
    history of a version, a template mapping, a mapping test): 403 for them."""
    if integration.owner_id != request.organization.pk:
        raise PermissionDenied("Only the organization that owns this integration can do that.")


def get_version_for_work(request, slug: str, public_id):
    integration = get_integration_for_work(request, slug)
    try:
        return integration.versions.get(public_id=public_id)
    except (IntegrationVersion.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No such version of this integration") from exc


def get_integration_for_association(request, slug: str):
    """An integration other integrators may ask to work on: one publicly listed (Compatible or
    above), or one the acting organization already works on. Anything else answers 404."""
    from integrations.models import Tier

    try:
        integration = Integration.objects.select_related("application__provider", "owner").get(slug=slug)
    except Integration.DoesNotExist as exc:
        raise Http404("No such integration") from exc
    if integration.tier < Tier.COMPATIBLE and not may_work_on(request.organization, integration):
        raise Http404("No such integration")
    return integration


# --- What an integration holds: template mappings, rows, translation tables, mapping tests and
# their runs, foreign data objects, OpenAPI imports and associations. The `*_of` helpers take the
# parent a view already reached through an access check above; anything else, or an id that is
# not one, answers 404.


def _one(queryset, public_id, missing: str):
    try:
        return queryset.get(public_id=public_id)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise Http404(missing) from exc


def translation_table_of(integration: Integration, public_id) -> TranslationTable:
    return _one(integration.translation_tables, public_id, "No such translation table")


def template_mapping_of(version: IntegrationVersion, mapping_id) -> TemplateMapping:
    mappings = version.template_mappings.select_related("collection", "parent")
    return _one(mappings, mapping_id, "No such template mapping")


def mapping_row_of(mapping: TemplateMapping, row_id) -> TemplateMappingRow:
    return _one(mapping.rows.select_related("table"), row_id, "No such row")


def mapping_test_of(mapping: TemplateMapping, test_id) -> MappingTest:
    return _one(mapping.tests, test_id, "No such mapping test")


def mapping_test_run_of(version: IntegrationVersion, run_id) -> MappingTestRun:
    return _one(version.mapping_test_runs, run_id, "No such run")


def openapi_import_of(integration: Integration, public_id) -> OpenAPIImport:
    return _one(integration.openapi_imports, public_id, "No such import")


def foreign_object_of(integration: Integration, public_id, *, imported_only: bool = False) -> ForeignDataObject:
    """`imported_only`: one proposed by an OpenAPI import, not declared by hand."""
    objects = integration.foreign_objects.select_related("link__collection")
    if imported_only:
        objects = objects.filter(declared_by_hand=False)
    obj = _one(objects, public_id, "No such data object of this integration")
    obj.integration = integration  # the one the access check loaded, with its owner and application
    return obj


def association_of(integration: Integration, public_id, *, organization: Organization | None = None) -> Association:
    """`organization`: only that organization's own request (withdrawing it)."""
    associations = integration.associations.select_related("organization")
    if organization is not None:
        associations = associations.filter(organization=organization)
    return _one(associations, public_id, "No such association with this integration")


def get_translation_table_for_work(request, slug: str, public_id) -> TranslationTable:
    return translation_table_of(get_integration_for_work(request, slug), public_id)


def get_template_mapping_for_work(request, slug: str, public_id, mapping_id) -> TemplateMapping:
    return template_mapping_of(get_version_for_work(request, slug, public_id), mapping_id)


def get_foreign_object_for_work(request, slug: str, public_id) -> ForeignDataObject:
    return foreign_object_of(get_integration_for_work(request, slug), public_id)


def get_mapping_test_for_work(request, slug: str, public_id, mapping_id, test_id) -> MappingTest:
    return mapping_test_of(get_template_mapping_for_work(request, slug, public_id, mapping_id), test_id)
