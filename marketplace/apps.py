from django.apps import AppConfig

from portal import navigation as nav


def register_navigation() -> None:
    """The marketplace's links in the portal's frame (the portal names no app's URL)."""
    nav.register_link(nav.LinkPlace.MAIN, "Marketplace", "marketplace_index", order=50)
    nav.register_link(nav.LinkPlace.FOOTER, "Marketplace", "marketplace_index", order=50)
    nav.register_link(nav.LinkPlace.ACCOUNT, "Subscriptions", "subscription_list", order=55, shown=nav.customers)
    # After the integrations app's "Integrations" (order 300): the business side of the same work.
    nav.register_link(nav.LinkPlace.MAIN, "Business", "business_index", order=310, shown=nav.integrators)
    for place in (nav.PanelPlace.HOME, nav.PanelPlace.GETTING_STARTED):
        nav.register_panel(place, "marketplace/_misp_panel.html", order=300, shown=nav.misps)
        nav.register_panel(place, "marketplace/_customer_panel.html", order=400, shown=nav.customers)


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace: listings, search and integration pages"

    def ready(self) -> None:
        register_navigation()
        from portal import page_cache

        page_cache.watch(self)  # listings, reviews, subscriptions: all shown on public pages
        from marketplace import audit

        audit.register()
        from marketplace.reviews import queues

        queues.register_queues()
        from marketplace.detail import workflow_templates

        workflow_templates.register()
        from marketplace.listings import signals

        signals.connect()
        from django.db.backends.signals import connection_created

        from marketplace.browse.selectors import set_similarity_threshold

        connection_created.connect(set_similarity_threshold, dispatch_uid="marketplace.similarity_threshold")
