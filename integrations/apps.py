from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Registry: providers, applications and versions"

    def ready(self) -> None:
        # The Certified rules register themselves with the tier engine on import; importing them
        # here registers them in every process (web, Celery, management commands, tests).
        from integrations import certified_rules  # noqa: F401

        # The portal tells, by a signal, when a provider's company URL (a Compatible rule) changes.
        from integrations.services import recompute_for_provider_profile
        from portal.signals import organization_profile_changed

        organization_profile_changed.connect(recompute_for_provider_profile, dispatch_uid="integrations.provider")
