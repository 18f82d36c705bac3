from django.apps import AppConfig

from portal import navigation as nav


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "Scoring: the nightly score, thresholds and version alerts"

    def ready(self) -> None:
        from portal import jobs
        from scoring import audit
        from scoring.runs import services

        audit.register()
        jobs.register_sweeper(services.sweep_runs)
        self._take_snapshots_along()
        self._watch_public_content()
        self._register_version_alerts()
        self._register_breakdown()
        self._register_review_windows()
        from scoring.proposals import queues

        queues.register_queues()

    @staticmethod
    def _take_snapshots_along() -> None:
        """An integration deleted while a run writes leaves none of its snapshots behind."""
        from django.db.models.signals import pre_delete

        from integrations.models import Integration
        from scoring.runs.signals import integration_deleting

        pre_delete.connect(integration_deleting, sender=Integration, dispatch_uid="scoring.snapshots_along")

    def _watch_public_content(self) -> None:
        """Scores and their deductions are on public pages; a run's progress is not."""
        from portal import page_cache
        from scoring.models import ScoringRun

        page_cache.watch(self, ignore=[ScoringRun])

    @staticmethod
    def _register_version_alerts() -> None:
        """A new application version tells the integrators it leaves behind at once (email), and
        their dashboard says so until they support it."""
        from integrations.registry.hooks import register_version_added
        from scoring.versions.notifications import notify_version_added

        register_version_added("scoring.version_behind", notify_version_added)
        nav.register_panel(
            nav.PanelPlace.DASHBOARD, "scoring/versions/_dashboard_panel.html", order=100, shown=nav.integrators
        )
        # And a week before a run would hide an integration (the email goes from a daily task).
        nav.register_panel(
            nav.PanelPlace.DASHBOARD, "scoring/warnings/_dashboard_panel.html", order=90, shown=nav.integrators
        )

    @staticmethod
    def _register_breakdown() -> None:
        """The latest score's breakdown on the integration's workspace page, and the score by rule
        on its marketplace page."""
        from integrations.workspace.panels import register_workspace_panel
        from marketplace.detail.sections import register_detail_section
        from scoring.breakdown import panels

        register_workspace_panel("scoring/breakdown/_workspace_panel.html", panels.workspace_panel_context, order=50)
        register_detail_section(
            "scoring", "scoring/breakdown/_public_section.html", panels.public_section_context, order=200
        )

    @staticmethod
    def _register_review_windows() -> None:
        """The marketplace answers and disputes reviews within the policy's response window and asks
        for reviews after its solicitation delay: the policy's numbers, not a second copy of them."""
        from marketplace.reviews import windows
        from scoring.policy.services import review_windows

        windows.read_numbers_with(review_windows)
