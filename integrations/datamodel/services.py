"""Changes staff make to the common data model. A field made required (or no longer required, or
renamed) changes which template mappings cover their collection, so every integration that
uses the collection has its tiers recomputed, in the background: a collection may be used by
many integrations, and the admin page should not wait for all of them."""

from django.db import transaction
from django.db.models import ProtectedError

from integrations.models import Integration, MappingCollection
from integrations.tiers import engine as tiers
from portal import jobs
from portal.models import User
from portal.services import ActionRefused, record


def integrations_using(collection: MappingCollection):
    """Integrations with a link or a template mapping to the collection, each once."""
    ids = set()
    for path in (
        "foreign_objects__link__collection",
        "scopes__link__collection",
        "versions__template_mappings__collection",
    ):
        ids.update(Integration.objects.filter(**{path: collection}).values_list("pk", flat=True))
    return Integration.objects.filter(pk__in=ids).order_by("pk")


def data_model_changed(collection: MappingCollection, *, acting_user: User | None) -> None:
    """Record a staff change to a collection or its fields, and recompute its users' tiers after commit."""
    record(actor=acting_user, kind="data_model.changed", target=collection)
    transaction.on_commit(lambda: _enqueue_recompute(collection.pk))


def remove_collection(collection: MappingCollection, *, acting_user: User) -> None:
    """Staff remove a collection nobody uses; links, template mappings and child collections that
    name one keep it (PROTECT), and the refusal says so."""
    with transaction.atomic():
        collection = MappingCollection.objects.select_for_update().get(pk=collection.pk)
        record(actor=acting_user, kind="data_model.removed", target=collection)
        try:
            with transaction.atomic():
                collection.delete()
        except ProtectedError as exc:
            raise ActionRefused(
                f"{collection.name} is in use (by a child collection, a data object link or a template mapping); "
                "it cannot be deleted."
            ) from exc


def _enqueue_recompute(collection_pk: int) -> None:
    from integrations import tasks  # the task module imports this one

    if not jobs.send(tasks.recompute_tiers_for_collection, collection_pk):
        # No row records this job, so no sweep would send it again: with the broker away, the
        # staff member's request does the work itself rather than lose it.
        recompute_for_collection(collection_pk)


def recompute_for_collection(collection_pk: int) -> int:
    """Recompute the tiers of every integration that uses the collection; how many there were."""
    collection = MappingCollection.objects.filter(pk=collection_pk).first()
    if collection is None:
        return 0
    count = 0
    for integration in integrations_using(collection):
        tiers.recompute(integration, cause=f"the common data model's {collection.name} changed")
        count += 1
    return count
