"""The workflow template pages: the submission form and its refusals, who sees which template,
the definition download, the integration's workspace panel, and their query counts."""

import json

import pytest
from django.urls import reverse

from certification.workflow_templates import services
from certification.workflow_templates.definition import MAX_BODY
from certification.workflow_templates.models import WorkflowTemplate
from tests.certification.workflow_templates import world
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def submit_url(version):
    return reverse("workflow_template_submit", args=[version.integration.slug, version.public_id])


def post(user, version, definition):
    data = {"name": "Sign-ups", "description": "New shoppers reach the ERP.", "definition": definition}
    return client_for(user).post(submit_url(version), data)


@pytest.fixture
def approved(certified, misty, summit, sam):
    template = world.submit(certified[1], misty, summit)
    return services.approve_workflow_template(template, acting_user=sam)


def test_a_misp_submits_a_template_through_the_form(certified, misty):
    _, version = certified
    response = post(misty, version, json.dumps(world.definition()))
    template = WorkflowTemplate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "workflow_template_detail", args=[version.integration.slug, template.public_id]
    )


def test_the_form_shows_the_versions_scopes_and_mappings_to_name(certified, misty):
    _, version = certified
    page = client_for(misty).get(submit_url(version)).content.decode()
    assert "customer/created" in page and world.TO_IPAAS in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"trigger": ', "not valid JSON at line 1"),
        ("x" * (MAX_BODY + 1), f"at most {MAX_BODY:,}"),
        ('{"trigger": {"type": "webhook", "scope": "customer/created"}, "steps": []}', "at least one step"),
    ],
)
def test_a_malformed_or_oversized_body_is_refused_with_a_message_and_nothing_saved(certified, misty, body, message):
    response = post(misty, certified[1], body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WorkflowTemplate.objects.exists()


def test_a_template_that_does_not_fit_is_refused_with_its_reasons(certified, misty):
    steps = [{"collection": "customer", "direction": "to_ipaas", "mapping": "Not a mapping"}]
    response = post(misty, certified[1], json.dumps(world.definition(scope="order/shipped", steps=steps)))
    page = response.content.decode()
    assert response.status_code == 400
    assert "does not fit version 1.0.0" in page
    assert "“order/shipped” is not a webhook scope" in page
    assert "Step 1: “Not a mapping” is not a template mapping of version 1.0.0" in page


def test_a_double_click_creates_one_template_and_answers_the_second_with_a_message(certified, misty):
    body = json.dumps(world.definition())
    post(misty, certified[1], body)
    second = post(misty, certified[1], body)
    assert second.status_code == 400 and "already has a workflow template named" in second.content.decode()
    assert WorkflowTemplate.objects.count() == 1


def test_a_customer_is_forbidden_to_submit(certified, carol):
    assert client_for(carol).get(submit_url(certified[1])).status_code == 403


def test_a_waiting_template_is_seen_by_its_submitter_and_the_integrators_only(certified, misty, summit, alice, carol):
    template = world.submit(certified[1], misty, summit)
    url = reverse("workflow_template_detail", args=[certified[0].slug, template.public_id])
    answers = [client_for(user).get(url).status_code for user in (misty, alice, carol, None)]
    assert answers == [200, 200, 404, 404]


def test_an_approved_template_is_seen_by_everyone_who_sees_the_integration(certified, approved, carol):
    url = reverse("workflow_template_list", args=[certified[0].slug])
    for user in (carol, None):
        assert approved.name in client_for(user).get(url).content.decode()


def test_the_definition_downloads_as_a_json_document(certified, approved):
    url = reverse("workflow_template_definition", args=[certified[0].slug, approved.public_id])
    response = client_for(None).get(url)
    document = json.loads(response.content)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="magento-by-northwind-1.0.0-')
    assert (document["integration_version"], document["trigger"]) == ("1.0.0", world.definition()["trigger"])
    assert [step["mapping"] for step in document["steps"]] == [world.TO_IPAAS, world.FROM_IPAAS]


def test_the_integration_page_shows_the_approved_template(certified, approved, alice):
    page = client_for(alice).get(reverse("integration_detail", args=[certified[0].slug])).content.decode()
    detail = reverse("workflow_template_detail", args=[certified[0].slug, approved.public_id])
    assert f'<a href="{detail}">{approved.name}</a>' in page


def test_the_template_list_answers_in_constant_queries(certified, misty, summit, sam, django_assert_max_num_queries):
    url = reverse("workflow_template_list", args=[certified[0].slug])
    services.approve_workflow_template(world.submit(certified[1], misty, summit), acting_user=sam)
    client = client_for(misty)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for number in range(5):
        template = world.submit(certified[1], misty, summit, name=f"More {number}")
        if number % 2:
            services.approve_workflow_template(template, acting_user=sam)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_new_certified_version_offers_to_carry_the_templates_over_and_does(
    certified, approved, alice, northwind, sam
):
    integration, version = certified
    newer = world.certified_new_version(version, alice, northwind, sam)
    client = client_for(alice)
    page = client.get(reverse("integration_detail", args=[integration.slug])).content.decode()
    assert "Carry over the workflow templates of version 1.0.0" in page
    response = client.post(reverse("workflow_template_carry_over", args=[integration.slug, newer.public_id]))
    [copy] = WorkflowTemplate.objects.filter(version=newer)
    assert response.status_code == 302 and (copy.name, copy.carried_from) == (approved.name, approved)
    page = client.get(reverse("integration_detail", args=[integration.slug])).content.decode()
    assert "Carry over the workflow templates" not in page
