"""A One-Click integration's marketplace page lists its approved workflow templates, each with its
trigger, steps, setup notes and the definition to download; a section registry carries them."""

import pytest
from django.urls import reverse

from certification.workflow_templates import services
from integrations.models import Tier
from marketplace.detail import sections
from tests.certification.workflow_templates import world
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def page(integration, user=None):
    return client_for(user).get(reverse("listing_detail", args=[integration.slug]))


@pytest.fixture
def one_click(northwind, alice, misty, summit, sam):
    integration, version = world.certified(northwind, alice, sam)
    template = world.submit(version, misty, summit, setup_notes="Turn on the customer webhook first.")
    services.approve_workflow_template(template, acting_user=sam)
    integration.refresh_from_db()
    assert integration.tier == Tier.ONE_CLICK
    return integration, template


def test_the_one_click_page_lists_each_approved_template_with_what_it_does(one_click):
    integration, template = one_click
    content = page(integration).content.decode()
    section = content[content.index('id="templates-heading"') :]
    section = section[: section.index("</section>")]
    assert "Sign-ups to the ERP" in section
    assert "New shoppers reach the ERP." in section
    assert "The webhook scope <code>customer/created</code>" in section
    assert f"<code>{world.TO_IPAAS}</code> (customer, To iPaaS)" in section
    assert f"<code>{world.FROM_IPAAS}</code> (customer, From iPaaS)" in section
    assert "Turn on the customer webhook first." in section
    download = reverse("workflow_template_definition", args=[integration.slug, template.public_id])
    assert f'href="{download}" download' in section
    assert client_for(None).get(download)["Content-Type"] == "application/json"


def test_a_template_waiting_for_staff_is_not_listed(one_click, misty, summit):
    integration, template = one_click
    world.submit(template.version, misty, summit, name="Still waiting")
    assert "Still waiting" not in page(integration).content.decode()


def test_a_certified_page_without_one_click_has_no_template_section(northwind, alice, sam):
    integration, _ = world.certified(northwind, alice, sam)
    assert 'id="templates-heading"' not in page(integration).content.decode()


def test_the_page_costs_the_same_queries_whatever_the_number_of_templates(
    one_click, misty, summit, sam, django_assert_max_num_queries
):
    integration, template = one_click
    client, url = client_for(misty), reverse("listing_detail", args=[integration.slug])
    for round_ in range(2):
        with django_assert_max_num_queries(24):
            client.get(url)
        for index in range(3):
            extra = world.submit(template.version, misty, summit, name=f"Template {round_}-{index}")
            services.approve_workflow_template(extra, acting_user=sam)


def test_a_registered_section_shows_where_its_context_says_and_nowhere_else(one_click, monkeypatch):
    integration, _ = one_click
    monkeypatch.setattr(sections, "_sections", dict(sections._sections))
    sections.register_detail_section(
        "test_only",
        "marketplace/detail/_workflow_templates.html",
        lambda request, listing: {"templates": []} if listing.integration.pk == integration.pk else None,
        order=1,
    )
    assert page(integration).content.decode().count('id="templates-heading"') == 2
