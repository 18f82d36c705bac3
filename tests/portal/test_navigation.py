"""The main navigation, the account menu and the footer, built from the links the apps register
with the portal (portal.navigation): each audience sees its links, in one fixed order."""

import re

import pytest
from django.urls import reverse

from portal.models import Role
from tests.conftest import client_for
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

NAV_LINKS = re.compile(r'<ul class="nav-links">(.*?)</ul>', re.S)
ORGANIZATION_MENU = re.compile(r'<details class="dropdown org-switcher">(.*?)</details>', re.S)
LINK = re.compile(r"<a href=\"([^\"]+)\"[^>]*>([^<]+)</a>")


def main_navigation(user, url="/") -> list[str]:
    page = client_for(user).get(url).content.decode()
    return [label for _, label in LINK.findall(NAV_LINKS.search(page).group(1))]


def organization_menu(user, url="/") -> list[str]:
    """The links of the acting organization's menu, before its switch and create entries."""
    page = client_for(user).get(url).content.decode()
    labels = [label for _, label in LINK.findall(ORGANIZATION_MENU.search(page).group(1))]
    return labels[: labels.index("All my organizations")]


EVERY_ORGANIZATION_PAGE = ["Getting started", "Members", "Public profile", "Organization profile", "Activity"]


@pytest.fixture
def paul(db):
    """Owner of an application provider that is not also an integrator."""
    user = UserFactory(email="paul@adobe.example.com")
    provider = OrganizationFactory(name="Adobe", is_integrator=False, is_provider=True)
    MembershipFactory(user=user, organization=provider, role=Role.OWNER)
    return user


def test_a_visitor_sees_the_public_links_only(db):
    assert main_navigation(None) == ["Marketplace", "Applications", "Data model"]


def test_an_integrators_owner_sees_the_workspace_in_the_bar_and_the_organizations_pages_in_its_menu(alice):
    assert main_navigation(alice) == ["Marketplace", "Applications", "Data model", "Integrations", "Business"]
    assert organization_menu(alice) == EVERY_ORGANIZATION_PAGE


def test_a_plain_member_sees_no_page_that_only_owners_and_admins_manage(ivy):
    assert main_navigation(ivy) == ["Marketplace", "Applications", "Data model", "Integrations", "Business"]
    assert organization_menu(ivy) == ["Getting started", "Members"]


def test_a_providers_owner_also_sees_its_applications(paul):
    assert main_navigation(paul) == [
        "Marketplace",
        "Applications",
        "Data model",
        "Integrations",
        "Business",
        "Your applications",
    ]
    assert organization_menu(paul) == EVERY_ORGANIZATION_PAGE


def test_a_customer_has_no_public_profile_and_no_integrations_link(carol):
    assert main_navigation(carol) == ["Marketplace", "Applications", "Data model"]
    assert organization_menu(carol) == ["Getting started", "Members", "Organization profile", "Activity"]


def test_a_customer_finds_its_subscriptions_in_the_account_menu(carol):
    page = client_for(carol).get("/").content.decode()
    assert f'<a href="{reverse("subscription_list")}">Subscriptions</a>' in page


def test_staff_without_an_organization_see_the_admin(sam):
    assert main_navigation(sam) == ["Marketplace", "Applications", "Data model", "Admin"]


def test_the_link_of_the_page_shown_is_marked_current(alice):
    page = client_for(alice).get(reverse("provider_directory")).content.decode()
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', NAV_LINKS.search(page).group(1))
    assert current == [reverse("provider_directory")]
    page = client_for(alice).get(reverse("member_list")).content.decode()
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', ORGANIZATION_MENU.search(page).group(1))
    assert current == [reverse("member_list")]


def test_the_account_menu_and_the_footer_carry_the_apps_links(alice):
    page = client_for(alice).get("/").content.decode()
    assert f'<a href="{reverse("submission_list")}">Your version submissions</a>' in page
    assert "Subscriptions</a>" not in page  # a customer's link (test_a_customer_finds_its_subscriptions...)
    footer = page[page.index('<footer class="container site-footer">') :]
    assert [label for _, label in LINK.findall(footer)] == [
        "Home",
        "Marketplace",
        "Applications",
        "Common data model",
        "Dynamic formulas",
    ]


def test_the_home_page_shows_the_panels_the_apps_register(alice, carol):
    assert "Building integrations" in client_for(alice).get("/").content.decode()
    assert "Building integrations" not in client_for(carol).get("/").content.decode()
    welcome = client_for(None).get("/").content.decode()
    assert f'<a href="{reverse("provider_directory")}">browse the applications and their integrations</a>' in welcome
