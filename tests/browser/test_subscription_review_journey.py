"""Issue 12, points 3 and 4 in a real browser, at 1280 and 390 wide: a customer opens a Certified
integration, confirms the price and version and subscribes, then reviews it; the integrator answers
the review publicly, disputes it and finds the subscriber on the business dashboard; Red Rook staff
reject the dispute in the admin."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from marketplace.models import Dispute, DisputeStatus, Subscription
from tests.browser.test_admin_journey import signed_in_as
from tests.browser.test_layout import main_navigation
from tests.browser.test_marketplace_journey import marketplace, no_sideways_scroll  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def customer_subscribes_and_reviews(page: Page, detail_url: str) -> None:
    page.goto(detail_url)
    page.get_by_role("button", name="Subscribe", exact=True).click()
    expect(page.get_by_role("heading", name="Subscribe to Magento by Northwind")).to_be_visible()
    expect(page.get_by_text("$500 up front + $49 a month")).to_be_visible()
    expect(page.get_by_text("1.0.0", exact=True)).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_role("button", name="Confirm and subscribe").click()
    expect(page.get_by_text("Acme Retail now subscribes to Magento by Northwind.")).to_be_visible()

    page.get_by_role("button", name="Write a review").click()
    page.get_by_label("2 stars").check()
    page.get_by_label("Your review").fill("Orders arrived late <b>twice</b>.")
    page.get_by_role("button", name="Publish the review").click()
    review = page.locator("article.review")
    expect(review).to_contain_text("Orders arrived late <b>twice</b>.")  # shown as text, never as markup
    expect(review).to_contain_text("Acme Retail")
    no_sideways_scroll(page)


def integrator_answers_and_disputes(page: Page, detail_url: str) -> None:
    page.goto(detail_url)
    page.locator("article.review").get_by_role("link", name="Answer").click()
    page.get_by_label("Your public answer").fill("Sorry: version 1.0.1 fixes the delay.")
    page.get_by_role("button", name="Publish the answer").click()
    review = page.locator("article.review")
    expect(review).to_contain_text("Answer from Northwind Integrations")
    expect(review).to_contain_text("Sorry: version 1.0.1 fixes the delay.")

    review.get_by_role("link", name="Dispute").click()
    page.get_by_label("Why this review should not count").fill("The delays came from their own store's outage.")
    page.get_by_role("button", name="Send the dispute").click()
    expect(page.locator("article.review .badge", has_text="disputed")).to_be_visible()
    no_sideways_scroll(page)

    main_navigation(page).get_by_role("link", name="Business").click()
    page.get_by_role("link", name="Magento by Northwind").click()
    expect(page.get_by_role("img", name="Active subscribers at the end of each month, at most 1")).to_be_visible()
    expect(page.get_by_text("Monthly recurring revenue")).to_be_visible()
    expect(page.get_by_text("$49.00")).to_be_visible()
    no_sideways_scroll(page)


def staff_reject_the_dispute(page: Page, live_server, sam) -> None:
    signed_in_as(page, live_server, sam)
    dispute = Dispute.objects.get()
    page.goto(live_server.url + reverse("admin:marketplace_dispute_change", args=[dispute.pk]))
    page.get_by_label("Reject").check()
    page.get_by_label("Comment").fill("Their outage was after the delays.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Dispute.objects.get().status == DisputeStatus.REJECTED


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_customer_subscribes_and_reviews_the_integrator_answers_and_disputes(
    live_server,
    new_page,
    marketplace,  # noqa: F811 - the fixture imported above
    carol,
    alice,
    sam,
    width,  # noqa: F811
):
    detail_url = live_server.url + reverse("listing_detail", args=[marketplace.slug])
    viewport = {"viewport": {"width": width, "height": 900}}
    customer = new_page(**viewport)
    signed_in_as(customer, live_server, carol)
    customer_subscribes_and_reviews(customer, detail_url)
    assert Subscription.objects.get().price_per_month == 49

    integrator = new_page(**viewport)
    signed_in_as(integrator, live_server, alice)
    integrator_answers_and_disputes(integrator, detail_url)

    staff_reject_the_dispute(new_page(**viewport), live_server, sam)
    customer.goto(detail_url)
    expect(customer.locator("article.review .badge", has_text="dispute rejected")).to_be_visible()
