"""Who submits a workflow template, for which version, and the refusals of one that does not fit."""

import pytest

from certification.workflow_templates.models import TemplateStatus, WorkflowTemplate
from integrations.models import Direction, IntegrationVersion, TemplateMapping
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.certification.workflow_templates import world
from tests.factories import IntegrationVersionFactory
from tests.integrations import tier_world

pytestmark = pytest.mark.django_db


def reasons_of(version, user, organization, **kwargs) -> str:
    with pytest.raises(ActionRefused) as refused:
        world.submit(version, user, organization, **kwargs)
    return str(refused.value)


def test_a_misp_submits_a_template_for_a_certified_version_and_it_is_recorded(certified, misty, summit):
    _, version = certified
    template = world.submit(version, misty, summit)
    assert (template.status, template.organization, template.version) == (TemplateStatus.SUBMITTED, summit, version)
    assert template.steps[0]["mapping"] == world.TO_IPAAS
    assert AuditEvent.objects.filter(kind="workflow_template.submitted", actor=misty, organization=summit).exists()


def test_the_owners_member_and_an_associated_integrator_may_submit(certified, ivy, northwind, bob, bluebird):
    integration, version = certified
    assert world.submit(version, ivy, northwind).organization == northwind
    tier_world.accepted_association(integration, bluebird)
    assert world.submit(version, bob, bluebird, name="Bluebird's").organization == bluebird


def test_an_integrator_not_working_on_the_integration_cannot_submit(certified, bob, bluebird):
    _, version = certified
    assert "Only integrators of this integration and MiSPs" in reasons_of(version, bob, bluebird)
    assert not WorkflowTemplate.objects.exists()


def test_a_customer_cannot_submit(certified, carol, acme):
    _, version = certified
    assert "Only integrators" in reasons_of(version, carol, acme)


def test_a_version_that_is_not_certified_is_refused(northwind, alice, misty, summit):
    _, version = tier_world.ready_integration(northwind, alice)
    assert "is not Certified" in reasons_of(version, misty, summit)


def test_a_trigger_scope_the_integration_does_not_declare_is_refused(certified, misty, summit):
    _, version = certified
    found = reasons_of(version, misty, summit, document=world.definition(scope="order/shipped"))
    assert "“order/shipped” is not a webhook scope" in found
    assert "customer/created" in found  # the declared ones are named


def test_a_collection_not_in_the_data_model_or_not_mapped_on_the_version_is_refused(certified, misty, summit):
    _, version = certified
    steps = [
        {"collection": "spaceships", "direction": "to_ipaas", "mapping": world.TO_IPAAS},
        {"collection": "product", "direction": "to_ipaas", "mapping": world.TO_IPAAS},
    ]
    found = reasons_of(version, misty, summit, document=world.definition(steps=steps))
    assert "Step 1: “spaceships” is not a MappingCollection" in found
    assert "Step 2: version 1.0.0 has no template mapping of Product To iPaaS" in found


def test_a_mapping_of_another_version_is_refused_and_named(certified, alice, misty, summit):
    integration, version = certified
    newer = IntegrationVersionFactory(integration=integration, number="2.0.0")
    tier_world.customer_mapping(newer, alice, Direction.TO_IPAAS, name="Newer Customer")
    steps = [{"collection": "customer", "direction": "to_ipaas", "mapping": "Newer Customer ADD TO IPAAS"}]
    found = reasons_of(version, misty, summit, document=world.definition(steps=steps))
    assert "is not a template mapping of version 1.0.0 (it is a template mapping of version 2.0.0)" in found


def test_a_mapping_of_another_direction_than_the_step_says_is_refused(certified, misty, summit):
    _, version = certified
    steps = [{"collection": "customer", "direction": "to_ipaas", "mapping": world.FROM_IPAAS}]
    found = reasons_of(version, misty, summit, document=world.definition(steps=steps))
    assert "maps Customer From iPaaS, not Customer To iPaaS" in found


def test_a_mapping_that_leaves_a_required_field_unmapped_is_refused(certified, misty, summit):
    _, version = certified
    mapping = TemplateMapping.objects.get(version=version, name=world.TO_IPAAS)
    mapping.rows.filter(target="Email").delete()  # as it might have been left before certification
    found = reasons_of(version, misty, summit)
    assert f"Step 1: “{world.TO_IPAAS}” leaves the required field Email unmapped" in found
    assert not WorkflowTemplate.objects.exists()


def test_a_second_template_of_the_same_name_is_refused_until_the_first_is_rejected(certified, misty, summit, sam):
    from certification.workflow_templates import services

    _, version = certified
    first = world.submit(version, misty, summit)
    assert "already has a workflow template named" in reasons_of(version, misty, summit, name="SIGN-UPS TO THE ERP")
    services.reject_workflow_template(first, acting_user=sam, comment="Name the ERP.")
    assert world.submit(version, misty, summit).status == TemplateStatus.SUBMITTED


def test_the_version_tie_is_kept(certified, misty, summit):
    _, version = certified
    template = world.submit(version, misty, summit)
    assert IntegrationVersion.objects.get(workflow_templates=template) == version
