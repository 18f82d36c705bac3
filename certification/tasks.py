"""Celery's autodiscovery reads `<app>.tasks`: the certification tasks live beside their capability."""

from certification.requests.tasks import run_certification_checks

__all__ = ["run_certification_checks"]
