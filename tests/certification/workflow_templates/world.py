"""A Certified version (its certification request approved through the actions) and workflow
templates for it, as the submitters write them."""

import json

from certification.requests import services as certification_services
from certification.workflow_templates import services
from certification.workflow_templates.definition import parse_definition
from integrations.models import Tier
from tests.certification import world

TO_IPAAS = "Magento Customer ADD TO IPAAS"
FROM_IPAAS = "Magento Customer ADD FROM IPAAS"


def definition(scope="customer/created", steps=None) -> dict:
    return {
        "trigger": {"type": "webhook", "scope": scope},
        "steps": steps
        if steps is not None
        else [
            {"collection": "customer", "direction": "to_ipaas", "mapping": TO_IPAAS},
            {"collection": "customer", "direction": "from_ipaas", "mapping": FROM_IPAAS},
        ],
    }


def certified(owner, user, staff):
    """(integration, version): version 1.0.0 Certified by an approved certification request."""
    integration, version = world.certifiable(owner, user)
    world.approve(world.submit(version, user, owner), staff)
    version.refresh_from_db()
    assert version.tier == Tier.CERTIFIED
    return integration, version


def fields(name="Sign-ups to the ERP", document=None, **kwargs) -> services.TemplateFields:
    text = json.dumps(definition() if document is None else document)
    values = {"description": "New shoppers reach the ERP.", "setup_notes": "Turn on the webhook.", **kwargs}
    return services.TemplateFields(name, values["description"], values["setup_notes"], parse_definition(text))


def submit(version, user, organization, **kwargs):
    return services.submit_workflow_template(
        version, acting_user=user, acting_organization=organization, fields=fields(**kwargs)
    )


def certified_new_version(version, user, owner, staff, number="1.1.0"):
    """A new version started from `version`, made ready, its tests run, and certified."""
    from django.utils import timezone

    from integrations.workspace import services as workspace_services
    from tests.integrations import tier_world

    newer = workspace_services.start_new_version(version, number=number, acting_user=user)
    newer.ready_designated_by, newer.ready_designated_at = user, timezone.now()
    newer.save(update_fields=["ready_designated_by", "ready_designated_at"])
    tier_world.run_tests(newer, user)
    request_ = world.run_checks(world.submit(newer, user, owner))
    if request_.status != "approved":  # a re-certification the automation did not approve itself
        certification_services.approve_certification_request(request_, acting_user=staff)
    newer.refresh_from_db()
    return newer
