"""The small pieces of marketplace markup drawn by tags (a page of cards shows each 24 times)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.defaultfilters import truncatechars

from integrations.models import Integration, Tier
from marketplace.templatetags.marketplace_display import summary
from tests.factories import ApplicationFactory


def render(source: str, **context) -> str:
    return Template("{% load marketplace_display portal_logos %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("tier", "markup"),
    [
        (Tier.COMPATIBLE, '<span class="badge tier-compatible">Compatible</span>'),
        (Tier.READY, '<span class="badge tier-ready">Ready</span>'),
        (Tier.CERTIFIED, '<span class="badge tier-certified">Certified</span>'),
        (Tier.ONE_CLICK, '<span class="badge tier-oneclick">Certified + One-Click</span>'),
    ],
)
def test_the_tier_badge_names_the_tier_in_words_and_in_its_class(tier, markup):
    assert render("{% tier_badge tier %}", tier=tier) == markup


def test_a_rating_reads_the_same_to_a_screen_reader_and_says_when_there_is_none():
    assert render("{% rating 0 0 %}") == '<span class="muted">No reviews yet</span>'
    one = render("{% rating count average %}", count=1, average=Decimal("3.75"))
    assert '<span class="visually-hidden">Rated </span>3.8<span class="visually-hidden"> out of 5</span>' in one
    assert "· 1 review</span>" in one
    assert "· 12 reviews</span>" in render("{% rating 12 4 %}")


def test_the_price_is_free_or_what_it_costs_up_front_and_a_month():
    assert render("{% price integration %}", integration=Integration(price_up_front=0, price_per_month=0)) == "Free"
    paid = Integration(price_up_front=Decimal("1500.00"), price_per_month=Decimal("49.50"))
    assert render("{% price integration %}", integration=paid) == "$1,500 up front + $49.50 a month"


@pytest.mark.parametrize(
    "text",
    ["short", "x" * 160, "x" * 161, "word " * 60, "Café au lait " * 20, "Cafe\u0301 " * 50, "<b>&amp;</b> " * 30],
)
def test_the_summary_cuts_a_description_as_truncatechars_does(text):
    assert summary(text) == truncatechars(text, 160)


@pytest.mark.django_db
def test_a_logo_without_an_image_shows_the_initials_and_hides_them_from_screen_readers():
    application = ApplicationFactory(name="Acme Commerce")
    assert render('{% logo application "large" %}', application=application) == (
        '<span class="logo logo-large logo-placeholder" aria-hidden="true">AC</span>'
    )
    assert 'class="logo logo-small logo-placeholder"' in render(
        '{% include "portal/_logo.html" with owner=a %}', a=application
    )
