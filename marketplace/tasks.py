from celery import shared_task

from marketplace.reviews import solicitation


@shared_task
def request_reviews() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): safe to run twice, each subscriber is asked once."""
    return solicitation.request_reviews()
