from django.apps import AppConfig

from portal import navigation as nav


def register_navigation() -> None:
    """This app's links and home-page panels in the portal's frame (the portal names no app's URL)."""
    nav.register_link(nav.LinkPlace.MAIN, "Applications", "provider_directory", order=100)
    nav.register_link(nav.LinkPlace.MAIN, "Data model", "data_model_index", order=200)
    nav.register_link(nav.LinkPlace.MAIN, "Integrations", "integration_dashboard", order=300, shown=nav.integrators)
    nav.register_link(
        nav.LinkPlace.MAIN, "Your applications", "provider_application_list", order=400, shown=nav.providers
    )
    nav.register_link(
        nav.LinkPlace.ORGANIZATION, "Public profile", "public_profile_edit", order=600, shown=_manages_a_public_profile
    )
    nav.register_link(
        nav.LinkPlace.ACCOUNT, "Your version submissions", "submission_list", order=100, shown=nav.signed_in
    )
    nav.register_link(nav.LinkPlace.FOOTER, "Applications", "provider_directory", order=100)
    nav.register_link(nav.LinkPlace.FOOTER, "Common data model", "data_model_index", order=200)
    nav.register_link(nav.LinkPlace.FOOTER, "Dynamic formulas", "formula_help", order=300)
    nav.register_panel(nav.PanelPlace.WELCOME, "integrations/_welcome_panel.html", order=100)
    nav.register_panel(nav.PanelPlace.HOME, "integrations/_provider_home_panel.html", order=90, shown=nav.providers)
    nav.register_panel(nav.PanelPlace.HOME, "integrations/_home_panel.html", order=100, shown=nav.integrators)
    nav.register_panel(
        nav.PanelPlace.GETTING_STARTED, "integrations/onboarding/_provider_path.html", order=100, shown=nav.providers
    )
    nav.register_panel(
        nav.PanelPlace.GETTING_STARTED, "integrations/onboarding/_integrator_path.html", order=200, shown=_integrators
    )


def _integrators(request) -> bool:
    """Integrator organizations only: a provider's own path ends with building an integration."""
    return nav.members(request) and request.organization.is_integrator


def _manages_a_public_profile(request) -> bool:
    return nav.managers(request) and request.organization.has_public_profile


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations: registry, integrations, tiers and mappings"

    def ready(self) -> None:
        # Rule sets register themselves with the tier engine on import; importing them here
        # registers them in every process (web, Celery, management commands, tests).
        from integrations.tiers import certified, compatible_ready  # noqa: F401

        register_navigation()
        self._register_audit_kinds()
        self._register_queues()
        self._register_job_sweepers()
        self._follow_provider_profiles()
        self._watch_public_content()

    def _watch_public_content(self) -> None:
        """The registry and integrations are public; inboxes, test runs and imports are private and
        written often (deliveries, progress)."""
        from integrations import models
        from portal import page_cache

        private = [models.Inbox, models.InboxEvent, models.InboxDelivery, models.OpenAPIImport]
        page_cache.watch(self, ignore=[*private, models.MappingTestRun, models.MappingTestResult])

    @staticmethod
    def _register_audit_kinds() -> None:
        from integrations import audit

        audit.register()

    @staticmethod
    def _register_queues() -> None:
        from integrations.registry.queues import register_queues

        register_queues()

    @staticmethod
    def _follow_provider_profiles() -> None:
        """The portal tells, by a signal, when a provider's company URL (a Compatible rule) changes."""
        from integrations.registry.services import recompute_for_provider_profile
        from portal.signals import organization_profile_changed

        organization_profile_changed.connect(recompute_for_provider_profile, dispatch_uid="integrations.provider")

    @staticmethod
    def _register_job_sweepers() -> None:
        """Queued imports and test runs whose message was lost are queued again by the job sweep."""
        from integrations.mapping_tests import services as mapping_test_services
        from integrations.openapi import services as openapi_services
        from portal import jobs

        jobs.register_sweeper(openapi_services.sweep_imports)
        jobs.register_sweeper(mapping_test_services.sweep_runs)
