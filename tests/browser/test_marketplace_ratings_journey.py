"""The marketplace's ratings, workflow templates and flag decisions in a real browser, at 1280 and
390 wide: a visitor sees each card's rating, sorts by rating (kept in the address), reads the ratings
summary and the approved workflow templates on a One-Click page; Red Rook staff find the flagged
review on the admin home, uphold the flags, and the review leaves the public page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from certification.workflow_templates import services as templates
from integrations.models import Tier
from marketplace.reviews import services as reviews
from tests.browser.test_admin_journey import signed_in_as
from tests.browser.test_marketplace_journey import no_sideways_scroll
from tests.certification.workflow_templates import world
from tests.marketplace.conftest import listed
from tests.marketplace.customers import membership, subscribe
from tests.marketplace.test_ratings import customer, reviewed

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
ABUSE = "The people behind this are clowns."


@pytest.fixture
def marketplace(northwind, alice, misty, summit, sam, bob):
    """A One-Click integration rated 4.5 from two reviews plus an abusive one flagged twice (hidden
    from the rating once upheld: the setup counts it until then), a Certified one rated 5 from one
    review, and one without reviews."""
    integration, version = world.certified(northwind, alice, sam)
    template = world.submit(version, misty, summit, setup_notes="Turn on the customer webhook first.")
    templates.approve_workflow_template(template, acting_user=sam)
    integration.refresh_from_db()
    assert integration.tier == Tier.ONE_CLICK
    reviewed(integration, 5, 4)
    rude = customer()
    subscribe(integration, rude)
    abusive = reviews.write_review(integration, membership=membership(rude), stars=3, text=ABUSE)
    reviews.flag_review(abusive, user=bob, reason="Insults, not a review")
    reviews.flag_review(abusive, user=misty, reason="Personal attack")
    top = listed(name="Top Rated Feed", tier=Tier.CERTIFIED)
    reviewed(top, 5)
    listed(name="Nobody Reviewed", tier=Tier.CERTIFIED)
    return integration


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_ratings_sort_summary_templates_and_a_flag_upheld_by_staff(live_server, new_page, marketplace, sam, width):
    integration = marketplace
    page = new_page(viewport={"width": width, "height": 900})
    page.goto(live_server.url + reverse("marketplace_index"))
    card = page.get_by_role("article", name=integration.name)
    expect(card).to_contain_text("Rated 4.0 out of 5")  # 5, 4 and the flagged 3 until staff decide
    expect(card).to_contain_text("3 reviews")
    expect(page.get_by_role("article", name="Nobody Reviewed")).to_contain_text("No reviews yet")
    no_sideways_scroll(page)

    page.get_by_label("Sort by").select_option("rating")
    page.get_by_role("button", name="Sort", exact=True).click()
    assert "sort=rating" in page.url
    expect(page.get_by_label("Sort by")).to_have_value("rating")
    headings = page.locator(".listing-grid article h3")
    expect(headings).to_have_text(["Top Rated Feed", integration.name, "Nobody Reviewed"])
    no_sideways_scroll(page)

    page.get_by_role("link", name=integration.name).click()
    expect(page.get_by_role("heading", name=integration.name, level=1)).to_be_visible()
    expect(page.get_by_text("4.0 out of 5, from 3 reviews")).to_be_visible()
    distribution = page.get_by_role("table", name="How many reviews gave each number of stars")
    expect(distribution.get_by_role("row")).to_have_count(6)  # the header and 5 down to 1
    expect(distribution.get_by_role("row").nth(1)).to_contain_text("5 stars")
    expect(distribution.get_by_role("row").nth(1)).to_contain_text("33%")
    section = page.get_by_role("region", name="Workflow templates")
    expect(section.get_by_role("heading", name="Sign-ups to the ERP")).to_be_visible()
    expect(section).to_contain_text("The webhook scope customer/created")
    expect(section).to_contain_text("Turn on the customer webhook first.")
    with page.expect_download() as download:
        section.get_by_role("link", name=re.compile("Download the definition")).click()
    assert download.value.suggested_filename.endswith(".json")
    expect(page.get_by_text(ABUSE)).to_be_visible()
    no_sideways_scroll(page)

    staff = new_page(viewport={"width": width, "height": 900})
    signed_in_as(staff, live_server, sam)
    staff.goto(live_server.url + reverse("admin:index"))
    staff.get_by_role("link", name=re.compile("Flagged reviews")).first.click()
    staff.get_by_role("link", name=re.compile(integration.name)).first.click()
    expect(staff.get_by_text("Decision on the 2 waiting flags")).to_be_visible()
    expect(staff.get_by_text("Insults, not a review")).to_be_visible()
    staff.get_by_label(re.compile("^Comment")).fill("Name-calling is not a review.")
    staff.get_by_role("button", name="Uphold and hide the review").click()
    expect(staff.locator(".messagelist")).to_contain_text("2 flags upheld")
    expect(staff.get_by_text("Hidden from the marketplace")).to_be_visible()

    page.reload()
    expect(page.get_by_text(ABUSE)).to_have_count(0)
    expect(page.get_by_text("4.5 out of 5, from 2 reviews")).to_be_visible()
