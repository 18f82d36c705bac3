"""Celery tasks of certification requests. Thin: they take ids, reload, and call the runner."""

from celery import shared_task

from certification.requests import runner


@shared_task(acks_late=True)
def run_certification_checks(request_pk: int, round_: int) -> None:
    """Run a request's automated checks; running it twice stores nothing the second time."""
    runner.run_certification_checks(request_pk, round_)
