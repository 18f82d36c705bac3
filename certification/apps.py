from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Certification: requests, automated checks and staff review"

    def ready(self) -> None:
        # The approval fact of the Certified rule and the freeze of reviewed versions, handed to the
        # integrations app's hooks in every process (web, Celery, management commands, tests).
        from certification import audit, queues
        from certification.requests import hooks
        from certification.workflow_templates import hooks as template_hooks
        from certification.workflow_templates import new_version as template_new_version
        from certification.workflow_templates import panel as template_panel
        from integrations.workspace.panels import register_new_version_option, register_workspace_panel

        audit.register()
        hooks.register()
        self._watch_public_content()
        queues.register_queues()
        register_workspace_panel(
            "certification/requests/_workspace_panel.html", hooks.workspace_panel_context, order=100
        )
        # The One-Click rule and what it reads, and the workflow templates of each version.
        template_hooks.register()
        register_workspace_panel(
            "certification/workflow_templates/_workspace_panel.html",
            template_panel.workspace_panel_context,
            order=110,
        )
        register_new_version_option(
            "certification/workflow_templates/_new_version_option.html",
            template_new_version.option_context,
            template_new_version.carry_over_on_start,
            order=110,
        )

    def _watch_public_content(self) -> None:
        """Certifications and workflow templates are on public pages; check results are not."""
        from certification.models import CheckResult
        from portal import page_cache

        page_cache.watch(self, ignore=[CheckResult])
