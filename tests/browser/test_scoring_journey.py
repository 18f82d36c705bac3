"""Issue 13 in a real browser, at 1280 and 390 wide: Red Rook staff start a scoring run from the
admin; the integrator sees the version-behind alert on its dashboard, then its integration's
breakdown with what to do and the score if it did it; staff delist an integration whose
delisting proposal the run sent, and its marketplace page says it is no longer offered; the
integrator reads the hide warnings the daily task recorded."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from marketplace.listings.models import Listing, Visibility
from scoring.models import DelistingProposal, ScoreSnapshot, ScoringPolicy
from scoring.templatetags.scoring_alerts import ALERTS_SHOWN
from tests.browser.test_admin_journey import signed_in_as
from tests.browser.test_marketplace_journey import no_sideways_scroll
from tests.factories import ApplicationFactory, IntegrationFactory
from tests.scoring.world import application_version, published_version, review, subscription

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def world(northwind, alice):
    """Magento by Northwind is behind on Magento 2.5.x with one negative review left unanswered;
    Falling by Northwind has so many negative reviews and early cancellations that it falls below 40."""
    magento = ApplicationFactory(name="Magento", slug="magento")
    old = application_version(magento, "Open Source 2.4.x", datetime.date(2020, 7, 28))
    application_version(magento, "Open Source 2.5.x", datetime.date(2025, 10, 14))
    behind = IntegrationFactory(
        owner=northwind, application=magento, name="Magento by Northwind", slug="magento-by-northwind", tier=1
    )
    published_version(behind, "1.0.0", [old])
    review(behind, created=ago(30))
    falling = IntegrationFactory(owner=northwind, name="Falling by Northwind", slug="falling-by-northwind", tier=1)
    for _ in range(7):
        review(falling, created=ago(30))
    for n in range(6):
        subscription(falling, started=ago(200 + n), cancelled=ago(60 + n))
    subscription(falling, started=ago(300))
    return {"behind": behind, "falling": falling}


def staff_start_a_run(page: Page, live_server) -> None:
    page.goto(live_server.url + reverse("admin:scoring_scoringrun_changelist"))
    page.get_by_role("button", name="Run now").click()
    expect(page.locator(".messagelist")).to_contain_text("is queued")
    assert ScoreSnapshot.objects.count() == 2


def integrator_sees_alert_breakdown_and_what_if(page: Page, live_server) -> None:
    page.goto(live_server.url + reverse("integration_dashboard"))
    alert = page.locator("section.version-alerts")
    expect(alert.get_by_role("heading", name="Behind on versions")).to_be_visible()
    expect(alert).to_contain_text("To do: support Open Source 2.5.x.")
    no_sideways_scroll(page)

    alert.get_by_role("link", name="Magento by Northwind").click()
    breakdown = page.locator("section.score-breakdown")
    expect(breakdown.get_by_role("heading", name="Score")).to_be_visible()
    expect(breakdown.locator(".score-value")).to_have_text("75")
    expect(breakdown.get_by_role("heading", name="Version relevance: −20")).to_be_visible()
    expect(breakdown.get_by_role("link", name="Magento Open Source 2.5.x is not supported", exact=True)).to_be_visible()
    expect(breakdown).to_contain_text("the score would be 95 (+20)")
    expect(breakdown).to_contain_text("the score would be 80 (+5)")
    expect(breakdown.get_by_role("link", name=re.compile(r"^Answer"))).to_be_visible()
    no_sideways_scroll(page)


def staff_delist(page: Page, live_server, falling) -> None:
    page.goto(live_server.url + reverse("admin:scoring_delistingproposal_changelist"))
    page.get_by_role("link", name=re.compile("Falling by Northwind")).first.click()
    expect(page.get_by_text("Negative reviews: −30")).to_be_visible()
    page.get_by_label(re.compile("Delist: the integration")).check()
    page.get_by_label("Comment").fill("Below 40 with no answer to any review.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Listing.objects.get(integration=falling).visibility == Visibility.DELISTED
    assert DelistingProposal.objects.get().state == "delisted"

    page.goto(live_server.url + reverse("listing_detail", args=[falling.slug]))
    expect(page.get_by_text("This integration is no longer offered")).to_be_visible()
    no_sideways_scroll(page)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_staff_run_the_scoring_the_integrator_sees_why_and_staff_delist(
    live_server, new_page, world, alice, sam, width
):
    viewport = {"viewport": {"width": width, "height": 900}}
    staff = new_page(**viewport)
    signed_in_as(staff, live_server, sam)
    staff_start_a_run(staff, live_server)

    integrator = new_page(**viewport)
    signed_in_as(integrator, live_server, alice)
    integrator_sees_alert_breakdown_and_what_if(integrator, live_server)

    staff_delist(staff, live_server, world["falling"])


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_integrator_reads_its_hide_warnings_on_the_dashboard_all_of_them_and_on_the_integration(
    live_server, new_page, northwind, alice, width
):
    """More integrations warned than the dashboard names: it says how many and links to them all."""
    from tests.scoring.test_hide_warnings import at_risk

    ScoringPolicy.current()
    at_risk(northwind, ALERTS_SHOWN + 1)
    page = new_page(viewport={"width": width, "height": 900})
    signed_in_as(page, live_server, alice)
    page.goto(live_server.url + reverse("integration_dashboard"))
    panel = page.locator("section.hide-warnings")
    expect(panel.get_by_role("heading", name="About to be hidden from the marketplace")).to_be_visible()
    expect(panel).to_contain_text(f"{ALERTS_SHOWN + 1} integrations would leave marketplace search")
    expect(panel.get_by_role("listitem")).to_have_count(ALERTS_SHOWN)
    no_sideways_scroll(page)

    panel.get_by_role("link", name=f"Show all {ALERTS_SHOWN + 1} integrations about to be hidden").click()
    expect(page.get_by_role("heading", name="About to be hidden from the marketplace", level=1)).to_be_visible()
    expect(page.locator(".hide-warning-list").get_by_role("listitem")).to_have_count(ALERTS_SHOWN + 1)
    no_sideways_scroll(page)

    page.get_by_role("link", name=f"At risk {ALERTS_SHOWN:02}", exact=True).click()
    expect(page.locator(".hide-warning")).to_contain_text("would score it 50, below 60")
    no_sideways_scroll(page)
