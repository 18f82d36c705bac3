from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Registry: providers, applications and versions"

    def ready(self) -> None:
        # The Certified rules register themselves with the tier engine on import; importing them
        # here registers them in every process (web, Celery, management commands, tests).
        from integrations.tiers import certified as certified_rules  # noqa: F401
