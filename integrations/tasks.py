"""Celery tasks of the integrations app. Thin: they take ids, reload, and call an action."""

from celery import shared_task

from integrations import openapi_services


@shared_task(acks_late=True)
def import_openapi_document(import_pk: int) -> None:
    """Analyse an uploaded OpenAPI document; running it twice changes nothing the second time."""
    openapi_services.run_openapi_import(import_pk)
