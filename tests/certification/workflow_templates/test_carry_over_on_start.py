"""Starting a new version offers, on the page that starts it, to carry the approved workflow
templates of the version it starts from over to it at once: each becomes a new submission,
checked against the new version, waiting in the staff queue; one that does not fit is left out
with the reason. Staff approve a carried-over template once the new version is Certified."""

import html

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from certification.queues import waiting_templates
from certification.requests import services as certification_services
from certification.workflow_templates import services
from certification.workflow_templates.models import TemplateStatus, WorkflowTemplate
from integrations.models import Tier
from integrations.workspace import services as workspace_services
from portal.services import ActionRefused
from tests.certification import world as certification_world
from tests.certification.workflow_templates import world
from tests.conftest import client_for
from tests.integrations import tier_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_template(certified, misty, summit, sam):
    integration, version = certified
    template = world.submit(version, misty, summit)
    services.approve_workflow_template(template, acting_user=sam)
    return integration, version, template


def start_url(integration, version) -> str:
    return reverse("integration_version_start", args=[integration.slug, version.public_id])


def start(client, integration, version, number="1.1.0", carry=True):
    data = {"number": number, "release_notes": "Next."}
    if carry:
        data["carry_over_workflow_templates"] = "1"
    return client.post(start_url(integration, version), data, follow=True)


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)] or [
        html.unescape(response.content.decode())
    ]


def test_the_start_page_offers_to_carry_the_approved_templates_over(
    with_template, alice, django_assert_max_num_queries
):
    integration, version, template = with_template
    client = client_for(alice)
    with django_assert_max_num_queries(20):
        response = client.get(start_url(integration, version))
    page = html.unescape(response.content.decode())
    assert 'name="carry_over_workflow_templates"' in page
    assert f"“{template.name}”" in page
    assert "checked" in page.split('name="carry_over_workflow_templates"')[1].split(">")[0]


def test_a_version_without_approved_templates_offers_nothing(certified, alice):
    integration, version = certified
    response = client_for(alice).get(start_url(integration, version))
    assert "carry_over_workflow_templates" not in response.content.decode()


def test_starting_with_the_offer_submits_each_template_again_for_the_new_version(with_template, alice):
    integration, version, template = with_template
    response = start(client_for(alice), integration, version)
    new = integration.versions.get(number="1.1.0")
    carried = WorkflowTemplate.objects.get(version=new)
    assert (carried.status, carried.carried_from, carried.name) == (TemplateStatus.SUBMITTED, template, template.name)
    assert carried.definition == template.definition
    assert carried in waiting_templates()
    assert any("Carried over to version 1.1.0" in text and template.name in text for text in texts(response))
    template.refresh_from_db()
    assert template.status == TemplateStatus.APPROVED  # the certified version keeps its template


def test_starting_without_the_offer_carries_nothing(with_template, alice):
    integration, version, _ = with_template
    start(client_for(alice), integration, version, carry=False)
    new = integration.versions.get(number="1.1.0")
    assert not WorkflowTemplate.objects.filter(version=new).exists()


def test_a_template_that_does_not_fit_the_new_version_is_left_out_with_the_reason(with_template, alice, northwind):
    integration, version, _ = with_template
    start(client_for(alice), integration, version, number="1.1.0", carry=False)
    workspace_services.update_integration(
        integration, acting_user=alice, acting_organization=northwind, scopes=["order/created"]
    )
    response = start(client_for(alice), integration, version, number="1.2.0")
    newest = integration.versions.get(number="1.2.0")
    assert not WorkflowTemplate.objects.filter(version=newest).exists()
    assert any("Not carried over" in text and "customer/created" in text for text in texts(response))


def test_staff_approve_a_carried_template_once_the_new_version_is_certified(with_template, alice, northwind, sam):
    integration, version, _ = with_template
    start(client_for(alice), integration, version)
    new = integration.versions.get(number="1.1.0")
    carried = WorkflowTemplate.objects.get(version=new)
    with pytest.raises(ActionRefused, match="not Certified yet"):
        services.approve_workflow_template(carried, acting_user=sam)
    carried.refresh_from_db()
    assert carried.status == TemplateStatus.SUBMITTED

    certified_new = _certify(new, alice, northwind, sam)
    services.approve_workflow_template(carried, acting_user=sam)
    certified_new.refresh_from_db()
    assert certified_new.tier == Tier.ONE_CLICK


def _certify(version, user, owner, staff):
    """The new version goes on to certification as any does."""
    version.ready_designated_by, version.ready_designated_at = user, timezone.now()
    version.save(update_fields=["ready_designated_by", "ready_designated_at"])
    tier_world.run_tests(version, user)
    request_ = certification_world.run_checks(certification_world.submit(version, user, owner))
    if request_.status != "approved":
        certification_services.approve_certification_request(request_, acting_user=staff)
    version.refresh_from_db()
    return version
