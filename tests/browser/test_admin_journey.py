"""Red Rook staff work on an organization's members in the admin, in a real browser: the page's
scripts run under the Content-Security-Policy, a demotion of the last owner is refused with its
reason on the page and the role unchanged, and the owner role is handed over in one save."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from portal.models import Membership, Role
from tests.admin_forms import admin_url

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def signed_in_as(page: Page, live_server, user) -> None:
    """Staff sign in with two-factor authentication (tests/portal/test_accounts.py walks that
    path); here the browser is handed a signed-in session instead."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def role_of(page: Page, name: str):
    row = page.locator("#memberships-group tr.form-row").filter(has_text=name)
    return row.get_by_role("combobox")


def test_staff_are_refused_demoting_the_last_owner_then_hand_the_role_over(page: Page, live_server, sam, alice, ivy):
    signed_in_as(page, live_server, sam)
    organization = alice.memberships.get().organization
    page.goto(live_server.url + admin_url(type(organization), "change", organization.pk))
    expect(page.get_by_role("heading", name="Northwind Integrations")).to_be_visible()

    role_of(page, "Alice Integrator").select_option(Role.MEMBER)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".errorlist")).to_contain_text("is the last owner of Northwind Integrations")
    expect(role_of(page, "Alice Integrator")).to_have_value(Role.MEMBER)  # what was chosen stays on the form
    assert alice.memberships.get().role == Role.OWNER

    role_of(page, "Ivy Member").select_option(Role.OWNER)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    roles = dict(Membership.objects.values_list("user__email", "role"))
    assert roles == {alice.email: Role.MEMBER, ivy.email: Role.OWNER}
