from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "Scoring: the nightly score, thresholds and version alerts"

    def ready(self) -> None:
        from portal import jobs
        from scoring import audit
        from scoring.runs import services

        audit.register()
        jobs.register_sweeper(services.sweep_runs)
