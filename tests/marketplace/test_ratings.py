"""Ratings: the count and average stored on the listing as reviews change, shown on the cards,
sorted by, and summed up on the integration's page, at a fixed number of queries."""

import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from integrations.models import Tier
from marketplace.listings.models import Listing
from marketplace.models import Review
from marketplace.reviews import services
from marketplace.reviews.ratings import refresh_rating
from tests.concurrency import at_once, postgresql_only
from tests.conftest import client_for
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.marketplace.conftest import listed
from tests.marketplace.customers import membership, subscribe

pytestmark = pytest.mark.django_db
INDEX = reverse("marketplace_index")


def customer():
    organization = OrganizationFactory(is_customer=True)
    user = UserFactory()
    MembershipFactory(organization=organization, user=user, role="owner")
    return user


def reviewed(integration, *stars_given):
    """Each number of stars given by a new paying customer, through the review action."""
    for stars in stars_given:
        user = customer()
        subscribe(integration, user)
        services.write_review(integration, membership=membership(user), stars=stars, text=f"{stars} stars")


def rating(integration) -> tuple[int, Decimal]:
    listing = Listing.objects.get(integration=integration)
    return listing.rating_count, listing.rating_average


def names(response) -> list[str]:
    return [listing.integration.name for listing in response.context["page"].object_list]


def test_writing_and_editing_reviews_keeps_the_listings_count_and_average(certified, carol):
    assert rating(certified) == (0, Decimal("0"))
    reviewed(certified, 5, 4)
    assert rating(certified) == (2, Decimal("4.50"))
    subscribe(certified, carol)
    services.write_review(certified, membership=membership(carol), stars=1, text="Lost orders")
    assert rating(certified) == (3, Decimal("3.33"))
    services.write_review(certified, membership=membership(carol), stars=3, text="Better since the fix")
    assert rating(certified) == (3, Decimal("4.00"))


def test_the_cards_show_the_average_and_the_number_of_reviews(certified, magento):
    listed(magento, name="Unreviewed Sync")
    reviewed(certified, 5, 4)
    content = client_for(None).get(INDEX).content.decode()
    card = content[content.index("Magento by Northwind") :]
    assert 'Rated </span>4.5<span class="visually-hidden"> out of 5' in card
    assert "2 reviews" in card
    assert "No reviews yet" in content[content.index("Unreviewed Sync") :]


def test_the_rating_sort_puts_the_highest_average_first_ties_by_number_of_reviews_unrated_last(magento):
    one, two, three, none = (listed(magento, name=n, tier=Tier.CERTIFIED) for n in ("One", "Two", "Three", "None"))
    reviewed(one, 4)
    reviewed(two, 5, 3)
    reviewed(three, 5)
    assert names(client_for(None).get(INDEX, {"sort": "rating"})) == ["Three", "Two", "One", "None"]


def test_the_rating_sort_is_kept_in_the_query_string_with_the_other_choices(magento):
    for index in range(30):
        listed(magento, name=f"Filler {index:02}", has_queue=True)
    response = client_for(None).get(INDEX, {"event": "queue", "sort": "rating"})
    content = response.content.decode()
    assert '<option value="rating" selected>' in content
    assert "?event=queue&amp;sort=rating&amp;page=2" in content


def test_the_detail_page_sums_up_the_ratings_with_a_distribution_from_five_down_to_one(certified):
    reviewed(certified, 5, 5, 4, 1)
    content = client_for(None).get(reverse("listing_detail", args=[certified.slug])).content.decode()
    assert "3.8 out of 5, from 4 reviews" in content
    table = content[content.index('class="rating-distribution"') :]
    rows = table[: table.index("</table>")].split("<tr>")[2:]
    assert [re.search(r'scope="row">([^<]+)<', row).group(1) for row in rows] == [
        "5 stars",
        "4 stars",
        "3 stars",
        "2 stars",
        "1 star",
    ]
    assert 'value="50"' in rows[0] and "50%" in rows[0] and '2<span class="visually-hidden"> reviews' in rows[0]
    assert "0%" in rows[2]


def test_a_review_written_without_the_action_is_counted_when_the_rating_is_refreshed(certified, carol):
    subscribe(certified, carol)
    Review.objects.create(organization=carol.memberships.get().organization, integration=certified, stars=2, text="x")
    refresh_rating(certified.pk)
    assert rating(certified) == (1, Decimal("2.00"))


def test_the_cards_and_the_rating_sort_cost_the_same_queries_whatever_the_number_of_reviews(
    magento, django_assert_max_num_queries
):
    integrations = [listed(magento, name=f"Rated {index}", tier=Tier.CERTIFIED) for index in range(3)]
    for round_ in range(2):
        for query in ({}, {"sort": "rating"}):
            with django_assert_max_num_queries(12):
                client_for(None).get(INDEX, query)
        with django_assert_max_num_queries(23):
            client_for(None).get(reverse("listing_detail", args=[integrations[0].slug]))
        for integration in integrations:
            reviewed(integration, *[1 + (round_ + n) % 5 for n in range(6)])
        integrations.append(listed(magento, name=f"More {round_}", tier=Tier.CERTIFIED))


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_reviews_written_at_the_same_moment_are_all_counted(certified):
    users = [customer() for _ in range(3)]
    for user in users:
        subscribe(certified, user)
    outcomes = at_once(
        *[
            lambda user=user, stars=stars: services.write_review(
                certified, membership=membership(user), stars=stars, text="At once"
            )
            for user, stars in zip(users, (5, 4, 2), strict=True)
        ]
    )
    assert all(isinstance(outcome, Review) for outcome in outcomes)
    assert rating(certified) == (3, Decimal("3.67"))


def test_the_migration_counts_reviews_written_before_ratings_and_queues_earlier_flags(certified, bob):
    reviewed(certified, 5, 2)
    review = Review.objects.first()
    services.flag_review(review, user=bob, reason="Rude")
    Listing.objects.filter(integration=certified).update(rating_count=0, rating_average=0)
    Review.objects.update(flagged_at=None)
    migration = importlib.import_module("marketplace.migrations.0005_ratings_and_review_flag_decisions")
    migration.count_existing_reviews(django_apps, None)
    migration.queue_existing_flags(django_apps, None)
    assert rating(certified) == (2, Decimal("3.50"))
    assert list(Review.objects.flagged()) == [review]
