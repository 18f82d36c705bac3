from django.urls import path

from marketplace import seo
from marketplace.browse import views as browse
from marketplace.detail import views as detail

urlpatterns = [
    path("marketplace/", browse.marketplace_index, name="marketplace_index"),
    path("marketplace/<slug:slug>/", detail.listing_detail, name="listing_detail"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
]
