"""The history pages of the registry's and the workspace's objects, shown to the organization that
owns them: each object is reached through its access helper (another organization's answers 404;
an integrator associated with an integration is refused its owner's trail, 403), then shown with
the portal's history page."""

from django.urls import reverse
from django.views.decorators.http import require_GET

from integrations.access import (
    association_of,
    get_application_for_edit,
    get_integration_for_owner,
    get_mapping_test_for_work,
    get_template_mapping_for_work,
    get_version_for_edit,
    get_version_for_work,
    refuse_unless_owner,
)
from portal.tenancy import organization_required
from portal.views.history import history_page


def _application_trail(application) -> list[tuple[str, str]]:
    return [
        ("Applications", reverse("provider_application_list")),
        (application.name, application.get_absolute_url()),
    ]


def _integration_trail(integration) -> list[tuple[str, str]]:
    return [
        ("Integrations", reverse("integration_dashboard")),
        (integration.name, reverse("integration_detail", args=[integration.slug])),
    ]


def _mapping_trail(mapping) -> list[tuple[str, str]]:
    version = mapping.version
    integration = version.integration
    url = reverse("mapping_collection_detail", args=[integration.slug, version.public_id, mapping.public_id])
    return [*_integration_trail(integration), (mapping.name, url)]


@require_GET
@organization_required
def application_history(request, slug):
    # Every member of the provider reads it: get_application_for_edit finds only its applications.
    application = get_application_for_edit(request, slug)
    return history_page(request, application, title=application.name, trail=_application_trail(application))


@require_GET
@organization_required
def version_history(request, slug, public_id):
    version = get_version_for_edit(request, slug, public_id)
    title = f"{version.application.name} {version.label}"
    return history_page(request, version, title=title, trail=_application_trail(version.application))


@require_GET
@organization_required
def integration_history(request, slug):
    integration = get_integration_for_owner(request, slug)
    return history_page(request, integration, title=integration.name, trail=_integration_trail(integration))


@require_GET
@organization_required
def integration_version_history(request, slug, public_id):
    version = get_version_for_work(request, slug, public_id)
    refuse_unless_owner(request, version.integration)
    title = f"{version.integration.name} {version.number}"
    return history_page(request, version, title=title, trail=_integration_trail(version.integration))


@require_GET
@organization_required
def mapping_collection_history(request, slug, public_id, mapping_id):
    mapping = get_template_mapping_for_work(request, slug, public_id, mapping_id)
    refuse_unless_owner(request, mapping.version.integration)
    return history_page(request, mapping, title=mapping.name, trail=_mapping_trail(mapping))


@require_GET
@organization_required
def mapping_test_history(request, slug, public_id, mapping_id, test_id):
    test = get_mapping_test_for_work(request, slug, public_id, mapping_id, test_id)
    refuse_unless_owner(request, test.mapping.version.integration)
    title = f"the mapping test {test.name}"
    return history_page(request, test, title=title, trail=_mapping_trail(test.mapping))


@require_GET
@organization_required
def association_history(request, slug, public_id):
    integration = get_integration_for_owner(request, slug)
    association = association_of(integration, public_id)
    title = f"the association of {association.organization.name} with {integration.name}"
    trail = [
        *_integration_trail(integration),
        ("Associations", reverse("integration_associations", args=[integration.slug])),
    ]
    return history_page(request, association, title=title, trail=trail)
