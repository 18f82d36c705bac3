"""The first thing anyone does in the portal, end to end in a real browser: sign up, verify the
address, create an organization, invite a colleague who signs up from the invitation and joins,
and switch between organizations. Locators are by role and label, so the pages' accessible
names are tested too."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from portal.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORD = "plum-orbit-lantern-1987"
FOUNDER = "frida.founder@northwind.example.com"
COLLEAGUE = "colin.colleague@northwind.example.com"
FIRST_ORG = "Northwind Integrations"
SECOND_ORG = "Colin Consulting"

CONFIRM_LINK = re.compile(r"https?://[^\s]+/accounts/confirm-email/[^\s/]+/")
INVITATION_LINK = re.compile(r"https?://[^\s]+/invitations/[^\s/]+/")


@pytest.fixture
def real_mail_chain(settings, live_server):
    """Mail leaves the way it does in production: TaskEmailBackend queues a Celery task (run
    eagerly in tests) that delivers through PORTAL_EMAIL_BACKEND, locmem here. pytest-django
    swaps EMAIL_BACKEND for locmem at start-up, which would skip that chain. Invitation links
    are built from SITE_URL, which must point at the live server."""
    settings.EMAIL_BACKEND = "portal.mail.TaskEmailBackend"
    settings.PORTAL_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = live_server.url


def link_in_mail(to: str, pattern: re.Pattern, *, subject_contains: str, timeout: float = 5.0) -> str:
    """The one link matching ``pattern`` in the newest email to ``to`` whose subject matches."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in mail.outbox if to in m.to and subject_contains.lower() in str(m.subject).lower()]
        if found or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    sent = [(m.to, m.subject) for m in mail.outbox]
    assert found, f"No email to {to} about {subject_contains!r}; sent: {sent}"
    links = pattern.findall(found[-1].body)
    assert len(set(links)) == 1, f"Expected one link in {found[-1].subject!r}, found {links}:\n{found[-1].body}"
    return links[0]


def sign_up(page: Page, email: str) -> None:
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Sign Up")).to_be_visible()
    main.get_by_label(re.compile(r"^Email:?$")).fill(email)
    main.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    main.get_by_label(re.compile(r"^Password \(again\):?$")).fill(PASSWORD)
    main.get_by_role("button", name="Sign Up", exact=True).click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()


def confirm_email(page: Page, email: str) -> None:
    page.goto(link_in_mail(email, CONFIRM_LINK, subject_contains="confirm"))
    expect(page.get_by_role("heading", name="Confirm Email Address")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()


def create_organization(page: Page, name: str, website: str) -> None:
    expect(page.get_by_role("heading", name="Create an organization")).to_be_visible()
    page.get_by_label(re.compile(r"^Name:?$")).fill(name)
    page.get_by_role("group", name="What does your organization do?").get_by_role(
        "checkbox", name="Integrator", exact=True
    ).check()
    page.get_by_label(re.compile(r"^Website:?$")).fill(website)
    page.get_by_role("button", name="Create organization").click()
    expect(page.get_by_role("heading", name=f"Getting started with {name}")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(f"{name} is created and you are its owner.")


def org_switcher(page: Page):
    """The header's organization switcher: a <details> whose <summary> names the acting organization."""
    return page.get_by_role("navigation", name="Main").locator("details.org-switcher")


def expect_acting_for(page: Page, name: str) -> None:
    """The switcher shows the acting organization, and its accessible name says so too."""
    summary = page.get_by_label(f"Acting organization: {name}. Switch organization", exact=True)
    expect(summary).to_be_visible()
    expect(summary).to_have_text(name)
    expect(org_switcher(page).locator("summary")).to_have_count(1)


def test_a_person_signs_up_creates_an_organization_and_invites_a_colleague_who_accepts(
    live_server, new_page, real_mail_chain
):
    # --- The founder: sign up from the home page and verify the address.
    founder = new_page()
    founder.goto(live_server.url + "/")
    founder.get_by_role("navigation", name="Main").get_by_role("button", name="Sign up", exact=True).click()
    sign_up(founder, FOUNDER)
    confirm_email(founder, FOUNDER)
    expect(founder.get_by_role("heading", name="Welcome", exact=True)).to_be_visible()
    expect(founder.get_by_label(f"Account menu for {FOUNDER}")).to_be_visible()

    # --- Create the organization from the "Get started" panel.
    founder.get_by_role("button", name="Create an organization").click()
    create_organization(founder, FIRST_ORG, "northwind.example.com")
    expect_acting_for(founder, FIRST_ORG)

    # --- Invite a colleague as a member, from the organization's menu.
    org_switcher(founder).locator("summary").click()
    org_switcher(founder).get_by_role("link", name="Members").click()
    invite = founder.get_by_role("region", name="Invite someone")
    invite.get_by_label(re.compile(r"^Email:?$")).fill(COLLEAGUE)
    expect(invite.get_by_label(re.compile(r"^Role:?$"))).to_have_value(Role.MEMBER)
    invite.get_by_role("button", name="Send invitation").click()
    expect(founder.get_by_role("status")).to_contain_text(f"Invitation sent to {COLLEAGUE}.")
    pending = founder.get_by_role("region", name="Pending invitations")
    expect(pending.get_by_role("rowheader", name=COLLEAGUE)).to_be_visible()
    invitation_url = link_in_mail(COLLEAGUE, INVITATION_LINK, subject_contains=f"invited you to join {FIRST_ORG}")
    assert invitation_url.startswith(live_server.url), invitation_url

    # --- The colleague, in a browser of their own: open the invitation, sign up from it.
    colleague = new_page()
    colleague.goto(invitation_url)
    expect(colleague.get_by_role("heading", name=f"Join {FIRST_ORG}")).to_be_visible()
    colleague.get_by_role("main").get_by_role("button", name="Sign up", exact=True).click()
    sign_up(colleague, COLLEAGUE)
    confirm_email(colleague, COLLEAGUE)

    # Verifying the address signs them in and brings them back to the invitation.
    expect(colleague.get_by_role("heading", name=f"Join {FIRST_ORG}")).to_be_visible()
    assert "/invitations/" in colleague.url, colleague.url
    colleague.get_by_role("button", name="Accept and join").click()
    expect(colleague.get_by_role("status")).to_have_text(f"Welcome to {FIRST_ORG}. You are acting for it now.")
    expect_acting_for(colleague, FIRST_ORG)

    # --- The colleague creates an organization of their own, which becomes the acting one ...
    switcher = org_switcher(colleague)
    switcher.locator("summary").click()
    switcher.get_by_role("link", name="Create an organization").click()
    create_organization(colleague, SECOND_ORG, "https://colin.example.com")
    expect_acting_for(colleague, SECOND_ORG)

    # ... then switches back to the first through the header's switcher.
    switcher = org_switcher(colleague)
    first_org_button = switcher.get_by_role("button", name=f"{FIRST_ORG} (Member)")
    expect(first_org_button).to_be_hidden()  # closed until the summary is clicked
    switcher.locator("summary").click()
    expect(switcher.get_by_role("button", name=f"{SECOND_ORG} (Owner)")).to_have_attribute("aria-current", "true")
    first_org_button.click()
    expect(colleague.get_by_role("status")).to_have_text(f"You are now acting for {FIRST_ORG}.")
    expect_acting_for(colleague, FIRST_ORG)
    expect(colleague.get_by_role("heading", name=FIRST_ORG, exact=True)).to_be_visible()
    expect(colleague.get_by_text("you are member")).to_be_visible()

    # --- Back with the founder: the colleague is now listed as a member.
    founder.reload()
    members = founder.get_by_role("table", name="Members and their roles")
    colleague_row = members.get_by_role("row").filter(has=founder.get_by_role("rowheader", name=COLLEAGUE))
    expect(colleague_row).to_have_count(1)
    expect(colleague_row.get_by_role("cell", name="Member", exact=True)).to_be_visible()
    expect(founder.get_by_role("region", name="Pending invitations")).to_contain_text("No pending invitations.")

    memberships = Membership.objects.filter(user__email=COLLEAGUE).order_by("organization__name")
    assert [(m.organization.name, m.role) for m in memberships] == [
        (SECOND_ORG, Role.OWNER),
        (FIRST_ORG, Role.MEMBER),
    ]


def test_at_phone_width_pages_do_not_scroll_sideways_and_the_skip_link_shows_on_focus(live_server, new_page):
    page = new_page(viewport={"width": 390, "height": 844})
    for path in ["/", "/accounts/login/"]:
        page.goto(live_server.url + path)

        widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["scroll"] <= widths["inner"], f"{path} scrolls sideways at 390 px wide: {widths}"

        skip_link = page.get_by_role("link", name="Skip to main content")
        expect(skip_link).not_to_be_in_viewport()
        page.keyboard.press("Tab")
        expect(skip_link).to_be_focused()
        expect(skip_link).to_be_in_viewport()
        page.keyboard.press("Enter")
        expect(page.get_by_role("main")).to_be_focused()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_at_phone_width_the_organization_pages_of_an_owner_do_not_scroll_sideways(live_server, new_page, alice, ivy):
    from tests.factories import PASSWORD, InvitationFactory

    InvitationFactory(organization=alice.memberships.get().organization, email="a-rather-long-address@example.com")
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(alice.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    for path in [
        "/",
        "/organizations/",
        "/organization/members/",
        "/organization/settings/",
        "/organization/activity/",
    ]:
        page.goto(live_server.url + path)
        widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["scroll"] <= widths["inner"], f"{path} scrolls sideways at 390 px wide: {widths}"
