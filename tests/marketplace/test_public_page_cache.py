"""Public pages are kept whole for anonymous visitors until public content changes
(portal/page_cache.py): a second visit costs no query, a change shows at once, and nothing private
or per-visitor is ever kept or served to someone else."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse

from marketplace.models import Review
from marketplace.reviews.ratings import refresh_rating
from portal import page_cache
from portal.services import audit_event
from tests.conftest import client_for
from tests.marketplace.conftest import listed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 120


def _nonce(html: str) -> str:
    return re.search(r'nonce="([^"]+)"', html).group(1)


def test_a_second_anonymous_visit_is_served_without_a_query(certified, django_assert_num_queries):
    url = reverse("listing_detail", args=[certified.slug])
    first = Client().get(url)
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second.status_code == 200
    assert "Magento by Northwind" in second.text
    assert second.text.replace(_nonce(second.text), "") == first.text.replace(_nonce(first.text), "")


def test_every_kept_page_carries_its_own_nonce_matching_its_policy(certified):
    url = reverse("listing_detail", args=[certified.slug])
    responses = [Client().get(url) for _ in range(3)]
    nonces = {_nonce(response.text) for response in responses}
    assert len(nonces) == 3
    for response in responses:
        assert f"'nonce-{_nonce(response.text)}'" in response.headers["Content-Security-Policy"]
        assert response.text.count(_nonce(response.text)) == response.text.count("nonce=")


def test_a_saved_change_shows_at_once(certified):
    url = reverse("marketplace_index")
    assert "Magento by Northwind" in Client().get(url).text
    certified.name = "Magento Connector Deluxe"
    certified.save()
    assert "Magento Connector Deluxe" in Client().get(url).text


def test_a_new_listing_shows_on_the_kept_listing_page(magento):
    url = reverse("marketplace_index")
    assert "Shopware Bridge" not in Client().get(url).text
    listed(magento, name="Shopware Bridge")
    assert "Shopware Bridge" in Client().get(url).text


def test_a_change_written_by_an_update_statement_shows_at_once(certified, acme):
    url = reverse("listing_detail", args=[certified.slug])
    assert "1 review" not in Client().get(url).text
    # No signal at all: only refresh_rating's own call can tell the kept pages.
    Review.objects.bulk_create([Review(integration=certified, organization=acme, stars=4, text="Solid")])
    refresh_rating(certified.pk)
    assert "1 review" in Client().get(url).text


def test_a_private_record_written_often_keeps_the_pages(certified, alice, django_assert_num_queries):
    url = reverse("listing_detail", args=[certified.slug])
    Client().get(url)
    audit_event(actor=alice, kind="integration.created", organization=certified.owner, target=certified)
    with django_assert_num_queries(0):
        Client().get(url)


def test_a_signed_in_visitor_never_reads_nor_leaves_a_kept_page(certified, alice):
    url = reverse("listing_detail", args=[certified.slug])
    assert alice.email in client_for(alice).get(url).text
    anonymous = Client().get(url)
    assert alice.email not in anonymous.text
    assert "Sign out" not in anonymous.text
    assert alice.email in client_for(alice).get(url).text


def test_a_visitor_with_a_session_cookie_gets_a_fresh_page(certified):
    url = reverse("listing_detail", args=[certified.slug])
    Client().get(url)
    visitor = Client()
    visitor.cookies["sessionid"] = "stale-or-unknown"
    response = visitor.get(url)
    assert response.status_code == 200
    assert "Magento by Northwind" in response.text


def _anonymous(request):
    request.user = AnonymousUser()
    return request


def test_a_page_that_hands_out_a_csrf_token_is_not_kept(rf):
    renders = []

    def view(request):
        renders.append(request)
        get_token(request)
        return HttpResponse("a form")

    cached = page_cache.cached_for_visitors(view)
    cached(_anonymous(rf.get("/form/")))
    cached(_anonymous(rf.get("/form/")))
    assert len(renders) == 2


def test_a_response_that_sets_a_cookie_is_not_kept(rf):
    renders = []

    def view(request):
        renders.append(request)
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    cached = page_cache.cached_for_visitors(view)
    cached(_anonymous(rf.get("/cookie/")))
    cached(_anonymous(rf.get("/cookie/")))
    assert len(renders) == 2


def test_a_plain_page_is_rendered_once(rf):
    renders = []

    def view(request):
        renders.append(request)
        return HttpResponse("hello")

    cached = page_cache.cached_for_visitors(view)
    cached(_anonymous(rf.get("/plain/")))
    assert cached(_anonymous(rf.get("/plain/"))).content == b"hello"
    assert len(renders) == 1


def test_an_htmx_request_and_a_full_page_are_kept_apart(rf):
    def view(request):
        return HttpResponse("part" if request.headers.get("HX-Request") else "<html>whole</html>")

    cached = page_cache.cached_for_visitors(view)
    assert cached(_anonymous(rf.get("/x/"))).content == b"<html>whole</html>"
    assert cached(_anonymous(rf.get("/x/", headers={"HX-Request": "true"}))).content == b"part"
    assert cached(_anonymous(rf.get("/x/"))).content == b"<html>whole</html>"


def test_without_a_cache_every_visit_renders(certified, monkeypatch):
    monkeypatch.setattr(page_cache.cache, "get_many", lambda keys: {})
    monkeypatch.setattr(page_cache.cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(page_cache.cache, "get", lambda *args, **kwargs: None)
    url = reverse("listing_detail", args=[certified.slug])
    assert "Magento by Northwind" in Client().get(url).text
    certified.name = "Renamed while the cache is away"
    certified.save()
    assert "Renamed while the cache is away" in Client().get(url).text


@pytest.mark.parametrize("name", ["provider_directory"])
def test_the_registry_directory_is_kept_and_follows_changes(name, magento, django_assert_num_queries):
    url = reverse(name)
    Client().get(url)
    with django_assert_num_queries(0):
        Client().get(url)
    magento.provider.name = "Adobe Commerce Inc."
    magento.provider.save()
    assert "Adobe Commerce Inc." in Client().get(url).text


def _kept_and_fresh(url: str, settings) -> tuple:
    kept = Client().get(url)
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    fresh = Client().get(url)
    settings.PUBLIC_PAGE_CACHE_SECONDS = 120
    Client().get(url)  # kept again, from what the data says now

    def without_nonce(response):
        return response.text.replace(_nonce(response.text), "") if "nonce=" in response.text else response.text

    return (kept.status_code, without_nonce(kept)), (fresh.status_code, without_nonce(fresh))


def test_the_kept_pages_follow_every_change_of_a_listings_life(certified, carol, alice, sam, settings):
    """Subscribing, reviewing, answering, disputing, staff decisions, cancelling, coming back, a
    score that hides the listing and delisting: after each, an anonymous visitor's kept pages are
    exactly what a fresh render shows."""
    from marketplace.listings.models import Visibility
    from marketplace.listings.services import delist, set_score_and_visibility
    from marketplace.reviews import services as reviews
    from marketplace.subscriptions.services import cancel_subscription
    from tests.marketplace.customers import membership, subscribe

    urls = [reverse("listing_detail", args=[certified.slug]), reverse("marketplace_index"), "/sitemap.xml"]
    urls.append(reverse("marketplace_index") + "?q=magento&sort=rating")

    def assert_fresh(step: str) -> None:
        for url in urls:
            kept, fresh = _kept_and_fresh(url, settings)
            assert kept == fresh, f"{url} after {step}"

    state = {}
    steps = {
        "subscribing": lambda: state.update(subscription=subscribe(certified, carol, days_ago=40)),
        "a review": lambda: state.update(
            review=reviews.write_review(certified, membership=membership(carol), stars=1, text="Orders went missing")
        ),
        "an answer": lambda: reviews.answer_review(state["review"], membership=membership(alice), text="Fixed in 2.1"),
        "a dispute": lambda: state.update(
            dispute=reviews.dispute_review(state["review"], membership=membership(alice), reasoning="Test data")
        ),
        "a dispute decided": lambda: reviews.decide_dispute(
            state["dispute"], acting_user=sam, outcome="rejected", comment="The orders were real"
        ),
        "a flag": lambda: reviews.flag_review(state["review"], user=alice, reason="Names our staff"),
        "a flag upheld": lambda: reviews.decide_review_flags(
            state["review"], acting_user=sam, outcome="resolved", comment="Abusive"
        ),
        "a cancellation": lambda: cancel_subscription(
            state["subscription"], membership=membership(carol), reason="too_expensive"
        ),
        "coming back": lambda: subscribe(certified, carol),
        "hidden by its score": lambda: set_score_and_visibility(
            certified, score=40, visibility=Visibility.HIDDEN, cause="score"
        ),
        "delisting": lambda: delist(certified, acting_user=sam, reason="Misrepresented its features"),
    }
    assert_fresh("nothing")
    for step, change in steps.items():
        change()
        assert_fresh(step)
    assert Client().get(urls[0]).status_code == 410
