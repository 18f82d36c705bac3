"""The integrator sees the latest score's breakdown on its integration page: each deduction with
its rule, amount and policy numbers, each cause linked with what to do, the score if it fixed
it (the engine run again with the fix assumed), and customers realigned. The marketplace page
shows the score and the deductions by rule without naming a customer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import DisputeStatus, Review
from scoring.engine import compute
from scoring.models import ScoringPolicy
from scoring.runs import services
from tests.conftest import client_for
from tests.factories import ApplicationFactory, IntegrationFactory, OrganizationFactory
from tests.scoring.world import (
    DAY,
    application_version,
    days_before_end,
    published_version,
    review,
    subscription,
)

pytestmark = pytest.mark.django_db


def run_day(day=DAY):
    run = services.start_run(day=day)
    assert services.execute_run(run.pk) == "done"


@pytest.fixture
def scored(northwind, alice):
    """Behind on Magento 2.5.x (-20), one negative review past its window (-5), one whose dispute
    was rejected (-5), and a customer who came back after a negative review (realigned)."""
    magento = ApplicationFactory(name="Magento", slug="magento")
    old = application_version(magento, "Open Source 2.4.x", DAY.replace(year=2020))
    application_version(magento, "Open Source 2.5.x", DAY.replace(month=1))
    integration = IntegrationFactory(owner=northwind, application=magento, name="Magento by Northwind", slug="mbn")
    published_version(integration, "1.0.0", [old])
    unanswered = review(integration, created=days_before_end(30), organization=OrganizationFactory(name="Zed Shop"))
    rejected = review(integration, created=days_before_end(40), dispute=DisputeStatus.REJECTED)
    returning = OrganizationFactory(name="Returning Retail", is_customer=True)
    review(integration, created=days_before_end(50), organization=returning)
    subscription(integration, started=days_before_end(100), cancelled=days_before_end(60), organization=returning)
    subscription(integration, started=days_before_end(10), organization=returning)
    run_day()
    return {"integration": integration, "unanswered": unanswered, "rejected": rejected}


def page(user, integration) -> str:
    return client_for(user).get(reverse("integration_detail", args=[integration.slug])).content.decode()


def test_the_breakdown_shows_score_rules_amounts_and_policy_numbers(scored, alice):
    html = page(alice, scored["integration"])
    assert '<strong class="score-value">70</strong> of 100' in html
    assert "Version relevance: −20" in html and "Negative reviews: −10" in html
    assert "−5 for each negative review still unanswered and undisputed after the 14-day response window" in html


def test_each_cause_is_linked_with_what_to_do(scored, alice):
    html = page(alice, scored["integration"])
    assert reverse("application_detail", args=["magento"]) in html
    assert "To do:</strong> support Open Source 2.5.x" in html
    assert f"#review-{scored['unanswered'].public_id}" in html
    assert reverse("review_answer", args=[scored["unanswered"].public_id]) in html
    assert "the dispute was rejected" in html


def test_the_what_if_is_the_engines_score_with_the_fix_assumed(scored, alice):
    integration = scored["integration"]
    policy = ScoringPolicy.current()
    fixed_version = compute(policy, DAY, [integration.pk], frozenset({("supports_latest", integration.pk)}))
    answered = compute(policy, DAY, [integration.pk], frozenset({("answered", scored["unanswered"].pk)}))
    html = page(alice, integration)
    assert fixed_version[integration.pk].score == 90 and answered[integration.pk].score == 75
    assert "the score would be <strong>90</strong> (+20)" in html
    assert "the score would be <strong>75</strong> (+5)" in html


def test_a_rejected_dispute_offers_no_what_if(scored, alice):
    html = page(alice, scored["integration"])
    rejected_line = html.split(f"#review-{scored['rejected'].public_id}")[1].split("</li>")[0]
    assert "What if" not in rejected_line


def test_causes_are_labelled_from_the_records_they_name(scored, alice):
    """A snapshot keeps each cause's id; the breakdown says what the record is."""
    html = page(alice, scored["integration"])
    written = f"{days_before_end(30):%-d %b %Y}"
    assert f"1-star review of {written}" in html
    assert "Magento Open Source 2.5.x is not supported" in html
    realigned = " ".join(part.split("</p>")[0] for part in html.split("Customer realigned:")[1:])
    assert f"1-star review of {days_before_end(50):%-d %b %Y}" in realigned
    assert f"cancelled {days_before_end(60):%-d %b %Y}, 40 days after subscribing" in realigned


def test_a_cause_deleted_since_the_run_is_shown_as_removed(scored, alice):
    Review.objects.filter(pk=scored["unanswered"].pk).delete()
    html = page(alice, scored["integration"])
    assert "a review since removed" in html
    assert "Negative reviews: −10" in html  # the snapshot is what the run found


def test_a_returning_customer_is_noted(scored, alice):
    assert "Customer realigned:" in page(alice, scored["integration"])


def test_a_negative_review_inside_the_window_says_how_many_days_remain(scored, alice):
    fresh = review(scored["integration"], created=timezone.now() - datetime.timedelta(days=8))
    html = page(alice, scored["integration"])
    assert "answer this review within 6 days" in html
    assert reverse("review_dispute", args=[fresh.public_id]) in html


def test_an_integration_not_scored_yet_says_so(northwind, alice):
    integration = IntegrationFactory(owner=northwind)
    assert "Not scored yet" in page(alice, integration)


def test_the_public_page_shows_score_and_rules_without_customers(scored, client):
    integration = scored["integration"]
    integration.tier = 1
    integration.save(update_fields=["tier"])
    html = client.get(reverse("listing_detail", args=[integration.slug])).content.decode()
    section = html.split('id="public-score-heading"')[1].split("</section>")[0]
    assert "70</strong> of 100" in section
    assert "Version relevance: −20" in section and "Negative reviews: −10" in section
    assert "Zed Shop" not in section and "Returning Retail" not in section
    assert "customers returned after evaluating alternatives" in section


def test_the_breakdown_costs_a_bounded_number_of_queries(scored, alice, django_assert_max_num_queries):
    client = client_for(alice)
    url = reverse("integration_detail", args=[scored["integration"].slug])
    client.get(url)
    with django_assert_max_num_queries(120):
        assert client.get(url).status_code == 200


def test_a_run_replaces_the_public_page_kept_for_visitors(scored, client, settings):
    """An anonymous visitor's kept page (portal/page_cache.py) shows the new day's score at once:
    the run writes snapshots and listings without the ORM's signals."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 120
    integration = scored["integration"]
    integration.tier = 1
    integration.save(update_fields=["tier"])
    url = reverse("listing_detail", args=[integration.slug])
    assert "70</strong> of 100" in client.get(url).content.decode()
    scored["unanswered"].answered_at = days_before_end(1)
    scored["unanswered"].answer = "We fixed the import"
    Review.objects.bulk_update([scored["unanswered"]], ["answered_at", "answer"])  # no signal

    run_day(DAY + datetime.timedelta(days=1))

    assert "75</strong> of 100" in client.get(url).content.decode()
