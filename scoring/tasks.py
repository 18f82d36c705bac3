from celery import shared_task

from scoring.runs import services


@shared_task
def execute_run(run_id: int) -> str:
    """Safe to run twice: a run already done or taken by another worker is left alone."""
    return services.execute_run(run_id)


@shared_task
def score_nightly() -> None:
    """Nightly (CELERY_BEAT_SCHEDULE): queue today's run unless one is going."""
    services.score_nightly()


@shared_task
def warn_before_hiding() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): warn integrators a week before a run would hide their integration."""
    from scoring.warnings.services import warn_before_hiding as warn

    return warn()
