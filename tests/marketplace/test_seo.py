"""What crawlers read: the sitemap of listed integrations and robots.txt."""

from django.urls import reverse

from integrations.models import Tier
from marketplace.listings.models import Visibility
from marketplace.listings.services import set_score_and_visibility
from tests.conftest import client_for
from tests.marketplace.conftest import listed


def test_the_sitemap_lists_the_marketplace_and_only_listed_integrations(magento, settings):
    settings.SITE_URL = "https://portal.example.com"
    listed(magento, name="Shown", slug="shown")
    listed(magento, name="Too early", slug="too-early", tier=Tier.NONE)
    set_score_and_visibility(listed(magento, slug="hidden"), score=50, visibility=Visibility.HIDDEN, cause="t")
    set_score_and_visibility(listed(magento, slug="delisted"), score=5, visibility=Visibility.DELISTED, cause="t")
    response = client_for(None).get(reverse("sitemap"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<loc>https://portal.example.com/marketplace/</loc>" in content
    assert "<loc>https://portal.example.com/marketplace/shown/</loc>" in content
    for slug in ("too-early", "hidden", "delisted"):
        assert f"/marketplace/{slug}/" not in content


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_pages(settings, db):
    settings.SITE_URL = "https://portal.example.com"
    response = client_for(None).get(reverse("robots_txt"))
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: https://portal.example.com/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /organization/" in lines
    assert not any(line.startswith("Disallow: /marketplace") for line in lines)


def test_a_search_page_is_not_indexed_but_the_marketplace_is(db):
    client = client_for(None)
    assert 'name="robots"' not in client.get(reverse("marketplace_index")).content.decode()
    assert (
        '<meta name="robots" content="noindex, follow">'
        in client.get(reverse("marketplace_index"), {"q": "magento"}).content.decode()
    )


def test_the_marketplace_names_its_canonical_address_from_site_url(db, settings):
    settings.SITE_URL = "https://portal.example.com"
    content = client_for(None).get(reverse("marketplace_index"), {"sort": "newest"}).content.decode()
    assert '<link rel="canonical" href="https://portal.example.com/marketplace/">' in content
