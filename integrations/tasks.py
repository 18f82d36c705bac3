"""Celery tasks of the integrations app. Thin: they take ids, reload, and call an action."""

from celery import shared_task

from integrations.datamodel import services as datamodel_services
from integrations.inbox import deliveries as inbox_deliveries
from integrations.mapping_tests import services as mapping_test_services
from integrations.openapi import services as openapi_services


@shared_task(acks_late=True)
def import_openapi_document(import_pk: int) -> None:
    """Analyse an uploaded OpenAPI document; running it twice changes nothing the second time."""
    openapi_services.run_openapi_import(import_pk)


@shared_task(acks_late=True)
def run_mapping_tests(run_pk: int) -> None:
    """Run all mapping tests of a version; running it twice adds no second result for a test."""
    mapping_test_services.run_mapping_tests(run_pk)


@shared_task(acks_late=True)
def recompute_tiers_for_collection(collection_pk: int) -> None:
    """After staff changed a data model collection: the tiers of every integration using it."""
    datamodel_services.recompute_for_collection(collection_pk)


@shared_task(acks_late=True)
def prune_inbox_deliveries() -> int:
    """Daily: refused sandbox inbox deliveries are kept for a week (integrations.inbox.deliveries)."""
    return inbox_deliveries.prune_refused_deliveries()
