"""The tier rules of DOMAIN.md's Compatible and Ready rows: each passes and fails, the tier reached,
recomputation on every change that can move it, the TierChange record, and readiness designation."""

import datetime

import pytest
from allauth.account.models import EmailAddress

from integrations.models import ImportStatus, IntegrationKind, Tier, TierChange, VersionStatus
from integrations.registry import services as registry
from integrations.tiers import engine as tiers
from integrations.workspace import services as actions
from portal import services as portal_actions
from portal.services import ActionRefused
from tests.factories import ApplicationVersionFactory, IntegrationVersionFactory
from tests.integrations import tier_world as world

pytestmark = pytest.mark.django_db

COMPATIBLE_RULES = [
    "provider_profile_complete",
    "application_complete",
    "event_service_declared",
    "hosting_model_declared",
    "application_versions_declared",
    "api_described",
    "data_movement_and_scopes_described",
]
READY_RULES = ["integrator_associated", "connection_established", "readiness_designated"]


def results(version) -> dict:
    return {rule.code: result for checklist in tiers.evaluate(version) for rule, result in checklist.results}


@pytest.fixture
def compatible(northwind):
    return world.compatible_integration(northwind)


def ready_facts(integration, version, designator=None):
    world.verified_event(integration)
    if designator is not None:
        version.ready_designated_by = designator
        version.ready_designated_at = datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
        version.save()


# --- each rule passes -----------------------------------------------------------------------


def test_every_compatible_rule_passes_for_a_complete_integration(compatible):
    _, version = compatible
    found = results(version)
    assert [code for code in COMPATIBLE_RULES if not found[code].passed] == []


def test_every_ready_rule_passes_once_connected_and_designated(compatible, alice):
    integration, version = compatible
    ready_facts(integration, version, designator=alice)
    found = results(version)
    assert [code for code in READY_RULES if not found[code].passed] == []
    assert tiers.reached_tier(tiers.evaluate(version)) == Tier.READY


def test_the_registered_rules_are_exactly_the_compatible_and_ready_rows():
    codes = [rule.code for rule in tiers.RULES if rule.tier in (Tier.COMPATIBLE, Tier.READY)]
    assert codes == COMPATIBLE_RULES + READY_RULES


# --- each rule fails, with a message and a link ---------------------------------------------


def _no_provider_logo(integration, version):
    provider = integration.application.provider
    provider.logo = ""
    provider.save()


def _no_provider_website(integration, version):
    provider = integration.application.provider
    provider.website = ""
    provider.save()


def _no_application_logo(integration, version):
    integration.application.logo = ""
    integration.application.save()


def _no_application_versions(integration, version):
    integration.application.versions.all().delete()


def _no_event_service(integration, version):
    integration.has_hook = False
    integration.save()


def _no_hosting_model(integration, version):
    integration.hosts_multitenant_cloud = False
    integration.save()


def _no_supported_versions(integration, version):
    version.supported_versions.clear()


def _no_import(integration, version):
    integration.openapi_imports.all().delete()


def _import_with_errors(integration, version):
    integration.openapi_imports.update(error_count=3)


def _import_of_openapi3(integration, version):
    integration.openapi_imports.update(detected_version="3.0.1")


def _newer_import_with_errors(integration, version):
    world.valid_import(integration, error_count=1, created_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))


def _sdk_without_connector(integration, version):
    integration.kind = IntegrationKind.SDK
    integration.sdk_package = "ipaas-magento"
    integration.save()


def _no_data_movement(integration, version):
    integration.data_movement = "  "
    integration.save()


def _no_scopes(integration, version):
    integration.scopes.all().delete()


FAILURES = [
    ("provider_profile_complete", _no_provider_logo, "provider_detail", "a logo"),
    ("provider_profile_complete", _no_provider_website, "provider_detail", "company URL"),
    ("application_complete", _no_application_logo, "application_detail", "a logo"),
    # Northwind does not make Magento: it is sent to submit the missing version for staff to verify.
    ("application_complete", _no_application_versions, "version_submit", "at least one version"),
    ("event_service_declared", _no_event_service, "integration_edit", "event services"),
    ("hosting_model_declared", _no_hosting_model, "integration_edit", "hosted"),
    ("application_versions_declared", _no_supported_versions, "integration_version_edit", "Declare which versions"),
    ("api_described", _no_import, "integration_openapi", "Upload"),
    ("api_described", _import_with_errors, "integration_openapi", "has errors"),
    ("api_described", _import_of_openapi3, "integration_openapi", "has errors"),
    ("api_described", _newer_import_with_errors, "integration_openapi", "has errors"),
    ("api_described", _sdk_without_connector, "integration_edit", "SDK connector"),
    ("data_movement_and_scopes_described", _no_data_movement, "integration_edit", "data moves"),
    ("data_movement_and_scopes_described", _no_scopes, "integration_edit", "webhook scopes"),
]


@pytest.mark.parametrize(("code", "break_it", "page", "says"), FAILURES, ids=[f[1].__name__[1:] for f in FAILURES])
def test_a_compatible_rule_fails_with_what_to_do_and_where(compatible, code, break_it, page, says):
    from django.urls import resolve

    integration, version = compatible
    break_it(integration, version)
    found = results(version)
    assert not found[code].passed
    assert says.lower() in found[code].message.lower()
    assert resolve(found[code].url.partition("#")[0]).url_name == page  # the fragment names the field
    # Deleting the application's versions also takes them out of the supported set.
    also = {"application_versions_declared"} if break_it is _no_application_versions else set()
    assert [c for c in COMPATIBLE_RULES if c != code and c not in also and not found[c].passed] == []
    assert tiers.reached_tier(tiers.evaluate(version)) == Tier.NONE


def test_an_sdk_integration_with_its_connector_passes_without_a_document(compatible):
    integration, version = compatible
    integration.openapi_imports.all().delete()
    integration.kind = IntegrationKind.SDK
    integration.sdk_package, integration.sdk_language = "ipaas-magento", "Python"
    integration.sdk_url = "https://pypi.org/project/ipaas-magento/"
    integration.save()
    assert results(version)["api_described"].passed


def test_a_refused_import_is_not_the_current_document(compatible):
    integration, version = compatible
    world.valid_import(
        integration, status=ImportStatus.REFUSED, created_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    )
    assert results(version)["api_described"].passed


def test_integrator_associated_fails_for_a_provider_owner_without_an_association():
    from django.urls import resolve

    provider = world.complete_provider()
    application, versions = world.magento_with_versions(provider)
    integration, version = world.compatible_integration(provider, application, versions)
    found = results(version)
    assert not found["integrator_associated"].passed
    assert resolve(found["integrator_associated"].url).url_name == "integration_associations"


def test_integrator_associated_passes_for_a_provider_owner_with_an_accepted_association(bluebird):
    provider = world.complete_provider()
    application, versions = world.magento_with_versions(provider)
    integration, version = world.compatible_integration(provider, application, versions)
    world.accepted_association(integration, bluebird)
    assert results(version)["integrator_associated"].passed


def test_integrator_associated_passes_when_the_owner_is_an_integrator(compatible):
    assert results(compatible[1])["integrator_associated"].passed


def test_connection_established_fails_without_a_verified_event(compatible):
    from django.urls import resolve

    found = results(compatible[1])
    assert not found["connection_established"].passed
    assert resolve(found["connection_established"].url.partition("#")[0]).url_name == "integration_inbox"


def test_connection_established_passes_with_a_verified_event(compatible):
    world.verified_event(compatible[0])
    assert results(compatible[1])["connection_established"].passed


def test_readiness_designated_fails_until_designated(compatible):
    world.verified_event(compatible[0])
    found = results(compatible[1])
    assert not found["readiness_designated"].passed
    assert tiers.reached_tier(tiers.evaluate(compatible[1])) == Tier.COMPATIBLE


# --- the tier shown and its record ---------------------------------------------------------


def test_the_integration_shows_the_tier_of_its_newest_published_version(compatible):
    integration, version = compatible
    draft = IntegrationVersionFactory(integration=integration, number="2.0.0")  # supports nothing, a draft
    assert tiers.recompute(integration, cause="test") == Tier.COMPATIBLE
    draft.status = VersionStatus.PUBLISHED
    draft.save()
    assert tiers.recompute(integration, cause="2.0.0 out") == Tier.NONE
    integration.refresh_from_db()
    assert integration.tier == Tier.NONE


def test_a_tier_change_is_recorded_with_its_cause_and_recomputing_again_records_nothing(compatible):
    integration, _ = compatible
    tiers.recompute(integration, cause="first look")
    tiers.recompute(integration, cause="nothing changed")
    change = TierChange.objects.get(integration=integration)
    assert (change.from_tier, change.to_tier, change.cause) == (Tier.NONE, Tier.COMPATIBLE, "first look")


# --- recomputation on every change that can alter the tier ---------------------------------


@pytest.fixture
def at_compatible(compatible):
    integration, version = compatible
    tiers.recompute(integration, cause="setup")
    integration.refresh_from_db()
    assert integration.tier == Tier.COMPATIBLE
    return integration, version


def last_change(integration) -> TierChange:
    integration.refresh_from_db()
    return integration.tier_changes.first()


def test_editing_away_the_event_services_drops_the_tier(at_compatible, alice, northwind):
    integration, _ = at_compatible
    actions.update_integration(integration, acting_user=alice, acting_organization=northwind, has_hook=False)
    change = last_change(integration)
    assert integration.tier == Tier.NONE
    assert change.to_tier == Tier.NONE and "declarations edited" in change.cause


def test_removing_every_scope_drops_the_tier_and_declaring_one_restores_it(at_compatible, alice, northwind):
    integration, _ = at_compatible
    actions.update_integration(integration, acting_user=alice, acting_organization=northwind, scopes=[])
    assert last_change(integration).to_tier == Tier.NONE
    actions.update_integration(
        integration, acting_user=alice, acting_organization=northwind, scopes=["product/updated"]
    )
    assert last_change(integration).to_tier == Tier.COMPATIBLE


def test_editing_the_supported_versions_moves_the_tier(at_compatible, alice):
    integration, version = at_compatible
    actions.update_integration_version(version, acting_user=alice, number="1.0.0", supported_versions=[])
    assert last_change(integration).cause == "version 1.0.0 edited"
    assert integration.tier == Tier.NONE


def test_publishing_a_version_sets_the_tier(compatible, alice):
    integration, version = compatible
    version.status = VersionStatus.DRAFT
    version.save()
    tiers.recompute(integration, cause="setup")
    assert integration.tier_changes.count() == 0
    actions.publish_integration_version(version, acting_user=alice)
    change = last_change(integration)
    assert (integration.tier, change.cause) == (Tier.COMPATIBLE, "version 1.0.0 published")


def test_removing_the_applications_logo_in_the_registry_drops_the_tier(at_compatible, provider_member):
    integration, _ = at_compatible
    application = integration.application
    registry.update_application(
        application,
        acting_user=provider_member,
        name=application.name,
        website=application.website,
        category=application.category,
        description=application.description,
        is_published=True,
        remove_logo=True,
    )
    change = last_change(integration)
    assert integration.tier == Tier.NONE and change.cause == "Magento's logo changed"


def test_removing_the_providers_website_in_its_organization_settings_drops_the_tier(at_compatible, provider_member):
    integration, _ = at_compatible
    provider = integration.application.provider
    portal_actions.update_organization_profile(
        provider, acting_user=provider_member, name=provider.name, kinds=provider.kinds, website=""
    )
    change = last_change(integration)
    assert integration.tier == Tier.NONE and change.cause == "Adobe's provider profile changed"


def test_removing_the_only_supported_application_version_drops_the_tier(northwind, provider_member):
    application, versions = world.magento_with_versions(labels=["Open Source 2.4.x"])
    integration, version = world.compatible_integration(northwind, application, versions)
    tiers.recompute(integration, cause="setup")
    registry.remove_application_version(versions[0], acting_user=provider_member)
    change = last_change(integration)
    assert integration.tier == Tier.NONE and change.cause == "Magento Open Source 2.4.x removed"


def test_adding_the_first_application_version_lets_the_tier_rise(northwind, provider_member):
    application, _ = world.magento_with_versions(labels=[])
    integration, version = world.compatible_integration(northwind, application, [])
    tiers.recompute(integration, cause="setup")
    assert integration.tier_changes.count() == 0
    new = registry.add_application_version(
        application, acting_user=provider_member, label="Open Source 2.4.x", release_date=datetime.date(2020, 7, 28)
    )
    actions.update_integration_version(version, acting_user=provider_member, number="1.0.0", supported_versions=[new])
    assert last_change(integration).to_tier == Tier.COMPATIBLE


def test_editing_an_application_version_recomputes(at_compatible, provider_member):
    integration, _ = at_compatible
    application_version = integration.application.versions.first()
    integration.application.provider.logo = ""
    integration.application.provider.save()  # a change the engine has not seen yet
    registry.update_application_version(
        application_version, acting_user=provider_member, label="Renamed", release_date=datetime.date(2020, 1, 1)
    )
    assert last_change(integration).cause == "Magento Renamed edited"


def test_verifying_a_submitted_version_recomputes(compatible, sam, provider_member):
    from tests.factories import VersionSubmissionFactory

    integration, version = compatible
    integration.application.versions.all().delete()
    tiers.recompute(integration, cause="setup")
    assert integration.tier_changes.count() == 0
    submission = VersionSubmissionFactory(application=integration.application, label="Open Source 2.6.x")
    registry.verify_version_submission(submission, acting_user=sam)
    # The application has a version again; the integration still supports none of them.
    found = results(version)
    assert found["application_complete"].passed and not found["application_versions_declared"].passed
    assert TierChange.objects.filter(integration=integration).count() == 0


def test_the_provider_removing_its_logo_drops_every_integration_of_its_applications(at_compatible, provider_member):
    integration, _ = at_compatible
    provider = integration.application.provider
    registry.update_public_profile(
        provider,
        acting_user=provider_member,
        name=provider.name,
        website=provider.website,
        description="",
        contact_email="",
        remove_logo=True,
    )
    change = last_change(integration)
    assert integration.tier == Tier.NONE and change.cause == "Adobe's provider profile changed"


def test_the_provider_clearing_its_website_drops_the_tier(at_compatible, provider_member):
    integration, _ = at_compatible
    provider = integration.application.provider
    registry.update_public_profile(
        provider, acting_user=provider_member, name=provider.name, website="", description="", contact_email=""
    )
    assert last_change(integration).to_tier == Tier.NONE


@pytest.fixture
def provider_member(compatible):
    from portal.models import Role
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(email="paula@adobe.example.com")
    provider = compatible[0].application.provider
    MembershipFactory(user=user, organization=provider, role=Role.OWNER)
    return user


# --- readiness designation -----------------------------------------------------------------


def test_a_qualified_integrator_designates_readiness_and_the_tier_becomes_ready(at_compatible, alice, northwind):
    integration, version = at_compatible
    world.verified_event(integration)
    assert tiers.may_designate_ready(version)
    actions.designate_ready(version, acting_user=alice, acting_organization=northwind)
    version.refresh_from_db()
    assert version.ready_designated_by == alice and version.ready_designated_at
    change = last_change(integration)
    assert integration.tier == Tier.READY and "designated ready" in change.cause


def test_an_associated_integrator_may_designate_readiness(bob, bluebird):
    provider = world.complete_provider()
    application, versions = world.magento_with_versions(provider)
    integration, version = world.compatible_integration(provider, application, versions)
    world.accepted_association(integration, bluebird)
    world.verified_event(integration)
    actions.designate_ready(version, acting_user=bob, acting_organization=bluebird)
    integration.refresh_from_db()
    assert integration.tier == Tier.READY


def test_designation_is_refused_while_another_ready_rule_fails(at_compatible, alice, northwind):
    integration, version = at_compatible  # no verified event yet
    with pytest.raises(ActionRefused, match="every other"):
        actions.designate_ready(version, acting_user=alice, acting_organization=northwind)
    version.refresh_from_db()
    assert version.ready_designated_at is None


def test_designation_is_refused_while_a_compatible_rule_fails(at_compatible, alice, northwind):
    integration, version = at_compatible
    world.verified_event(integration)
    integration.scopes.all().delete()
    with pytest.raises(ActionRefused):
        actions.designate_ready(version, acting_user=alice, acting_organization=northwind)


def test_designation_is_refused_without_a_verified_email(at_compatible, alice, northwind):
    integration, version = at_compatible
    world.verified_event(integration)
    EmailAddress.objects.filter(user=alice).update(verified=False)
    with pytest.raises(ActionRefused, match="verified email"):
        actions.designate_ready(version, acting_user=alice, acting_organization=northwind)
    version.refresh_from_db()
    assert version.ready_designated_at is None


def test_designation_is_refused_to_an_integrator_not_working_on_it(at_compatible, bob, bluebird):
    integration, version = at_compatible
    world.verified_event(integration)
    with pytest.raises(ActionRefused, match="qualified integrator"):
        actions.designate_ready(version, acting_user=bob, acting_organization=bluebird)


def test_designation_is_refused_to_a_member_of_a_provider_owner(provider_member):
    integration, version = world.compatible_integration(
        world.complete_provider(name="Self-built"), *world.magento_with_versions()
    )
    provider = integration.owner
    from portal.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory(user=provider_member, organization=provider, role=Role.OWNER)
    world.verified_event(integration)
    with pytest.raises(ActionRefused, match="qualified integrator"):
        actions.designate_ready(version, acting_user=provider_member, acting_organization=provider)


def test_designation_is_refused_twice(at_compatible, alice, ivy, northwind):
    integration, version = at_compatible
    world.verified_event(integration)
    actions.designate_ready(version, acting_user=alice, acting_organization=northwind)
    with pytest.raises(ActionRefused, match="already designated"):
        actions.designate_ready(version, acting_user=ivy, acting_organization=northwind)


def test_a_foreign_integrator_organization_is_not_qualified_by_a_pending_association(at_compatible, bob, bluebird):
    from integrations.models import Association

    integration, _ = at_compatible
    Association.objects.create(integration=integration, organization=bluebird)
    assert not actions.is_qualified_integrator(bob, bluebird, integration)


def test_application_versions_of_another_application_are_refused(at_compatible, alice):
    integration, version = at_compatible
    foreign = ApplicationVersionFactory()
    with pytest.raises(ActionRefused, match="only versions of Magento"):
        actions.update_integration_version(version, acting_user=alice, number="1.0.0", supported_versions=[foreign])
