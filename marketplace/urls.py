from django.urls import path

from marketplace import seo
from marketplace.browse import views as browse
from marketplace.business import views as business
from marketplace.detail import views as detail
from marketplace.reviews import views as reviews
from marketplace.subscriptions import views as subscriptions

urlpatterns = [
    path("marketplace/", browse.marketplace_index, name="marketplace_index"),
    path("marketplace/<slug:slug>/", detail.listing_detail, name="listing_detail"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    # A Certified integration's page was once its own (certification's); its address now leads here.
    path("certified/<slug:slug>/", detail.certified_integration_redirect, name="certified_integration_redirect"),
    # Subscriptions, reviews and the business dashboard (two or more segments, so no slug is shadowed).
    path("marketplace/<slug:slug>/subscribe/", subscriptions.subscribe, name="subscribe"),
    path("marketplace/<slug:slug>/review/", reviews.review_write, name="review_write"),
    path("marketplace/account/subscriptions/", subscriptions.subscription_list, name="subscription_list"),
    path(
        "marketplace/account/subscriptions/<uuid:public_id>/cancel/",
        subscriptions.cancel_subscription,
        name="subscription_cancel",
    ),
    path("marketplace/reviews/<uuid:public_id>/answer/", reviews.review_answer, name="review_answer"),
    path("marketplace/reviews/<uuid:public_id>/dispute/", reviews.review_dispute, name="review_dispute"),
    path("marketplace/reviews/<uuid:public_id>/flag/", reviews.review_flag, name="review_flag"),
    path("marketplace/account/business/", business.business_index, name="business_index"),
    path("marketplace/account/business/<slug:slug>/", business.business_dashboard, name="business_dashboard"),
]
