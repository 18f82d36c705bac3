from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations: registry, integrations, tiers and mappings"

    def ready(self) -> None:
        # Rule sets register themselves with the tier engine on import; importing them here
        # registers them in every process (web, Celery, management commands, tests).
        from integrations.tiers import certified, compatible_ready  # noqa: F401
