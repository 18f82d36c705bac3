"""At phone width, the pages whose lists are shown a page at a time read well: the page does not
scroll sideways, the pagination says where the person is, and its next-page link leads on."""

import datetime

import pytest
from playwright.sync_api import expect

from integrations.associations import views as association_views
from integrations.mappings import tables as table_services
from integrations.mappings.views import tables as table_views
from integrations.models import Association, AssociationStatus, IntegrationKind, VersionStatus
from integrations.openapi import views as openapi_views
from integrations.workspace import views as workspace_views
from portal.views import members as member_views
from scoring.versions import views as behind_views
from tests.browser.test_registry_journey import sign_in
from tests.factories import (
    ApplicationVersionFactory,
    IntegrationFactory,
    IntegrationVersionFactory,
    InvitationFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

ALICE = "alice@northwind.example.com"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def small_pages(monkeypatch):
    for module, name in [
        (member_views, "MEMBERS_PER_PAGE"),
        (member_views, "INVITATIONS_PER_PAGE"),
        (workspace_views, "VERSIONS_PER_PAGE"),
        (workspace_views, "SUPPORTED_PER_PAGE"),
        (workspace_views, "INTEGRATORS_PER_PAGE"),
        (association_views, "ASSOCIATIONS_PER_PAGE"),
        (table_views, "TABLES_PER_PAGE"),
        (openapi_views, "SCHEMAS_PER_PAGE"),
        (behind_views, "BEHIND_PER_PAGE"),
    ]:
        monkeypatch.setattr(module, name, 3)


@pytest.fixture
def crowded(northwind, alice, live_server):
    """Northwind with more of everything than a page holds; the paths of the pages to see."""
    integration = IntegrationFactory(
        owner=northwind, name="Magento by Northwind", slug="magento-by-northwind", kind=IntegrationKind.DYNAMIC
    )
    labels = [f"Open Source 2.{n}.x with a long release name" for n in range(8)]
    supported = [
        ApplicationVersionFactory(
            application=integration.application, label=label, release_date=datetime.date(2020, 1, 1 + n)
        )
        for n, label in enumerate(labels)
    ]
    latest = supported.pop()  # the versions support all but the latest: the integration is behind
    for n in range(8):
        version = IntegrationVersionFactory(integration=integration, number=f"1.{n}.0", status=VersionStatus.PUBLISHED)
        version.supported_versions.set(supported)
    for n in range(8):
        MembershipFactory(organization=northwind, user=UserFactory(email=f"member{n}@a-rather-long-domain.example.com"))
        InvitationFactory(organization=northwind, email=f"invitee{n}@a-rather-long-domain.example.com")
        table_services.save_translation_table(
            integration, acting_user=alice, table=None, name=f"Country codes {n}", rows=[("US", "USA")]
        )
        for status in (AssociationStatus.PENDING, AssociationStatus.ACCEPTED, AssociationStatus.DECLINED):
            organization = OrganizationFactory(name=f"Integrator {status} {n} with a long name")
            Association.objects.create(integration=integration, organization=organization, status=status)
        behind = IntegrationFactory(owner=northwind, application=integration.application, name=f"Behind {n}")
        IntegrationVersionFactory(integration=behind, number="1.0.0", status=VersionStatus.PUBLISHED)
    schemas = [{"name": f"CustomerSchema{n}", "location": "#/components/schemas/x", "fields": []} for n in range(8)]
    obj = integration.foreign_objects.create(key="customers", name="Customers", paths=[], schemas=schemas)
    assert latest
    version = integration.versions.get(number="1.7.0")
    return [
        ("/organization/members/", "Members"),
        ("/organization/members/", "Pending invitations"),
        (f"/integrations/{integration.slug}/", "Versions"),
        (f"/integrations/{integration.slug}/", "Integrators"),
        (f"/integrations/{integration.slug}/versions/{version.public_id}/", "Supported versions"),
        (f"/integrations/{integration.slug}/associations/", "Requests waiting"),
        (f"/integrations/{integration.slug}/associations/", "Earlier requests"),
        (f"/integrations/{integration.slug}/translation-tables/", "Translation tables"),
        (f"/integrations/{integration.slug}/objects/{obj.public_id}/paths/", "Schemas"),
        ("/scoring/versions-behind/", "Integrations behind"),
    ]


def test_at_phone_width_each_paginated_list_reads_and_leads_to_its_next_page(
    live_server, new_page, crowded, small_pages
):
    page = new_page(viewport=PHONE)
    sign_in(page, live_server.url, ALICE)
    for path, label in crowded:
        page.goto(live_server.url + path)
        widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["scroll"] <= widths["inner"], f"{path} scrolls sideways at 390 px wide: {widths}"
        pages = page.get_by_role("navigation", name=label, exact=True)
        expect(pages.get_by_text("Page 1 of 3")).to_be_visible()
        box = pages.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{label} pagination overflows"
        pages.get_by_role("link", name="Next page").click()
        expect(page.get_by_role("navigation", name=label, exact=True).get_by_text("Page 2 of 3")).to_be_visible()
