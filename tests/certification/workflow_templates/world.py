"""A Certified version (its certification request approved through the actions) and workflow
templates for it, as the submitters write them."""

import json

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
