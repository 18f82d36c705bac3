"""The demo data: BigCommerce by Northwind is One-Click, with the MiSP's approved workflow template."""

import pytest
from django.core.management import call_command

from certification.workflow_templates.models import WorkflowTemplate
from integrations.models import Integration, Tier

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_one_click_integration_and_loading_again_changes_nothing():
    call_command("load_demo_data")
    integration = Integration.objects.get(slug="bigcommerce-by-northwind")
    [template] = WorkflowTemplate.objects.approved()
    assert integration.tier == Tier.ONE_CLICK
    assert (template.organization.slug, template.version.integration) == ("summit-misp", integration)
    call_command("load_demo_data")
    assert WorkflowTemplate.objects.count() == 1
