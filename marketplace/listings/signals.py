"""Keeps the listings in step with the integrations app, which knows nothing of the marketplace:
a listing is made with its integration, and its search document follows what it is found by."""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from integrations.models import Application, ForeignDataObject, ForeignObjectLink, Integration, WebhookScope
from marketplace.listings import services
from portal.models import Organization

# Saves that touch only these fields change nothing a listing is found by (the tier engine saves these).
UNSEARCHED = {"tier", "updated_at", "logo", "is_published", "website"}


def _changes_search(update_fields) -> bool:
    return update_fields is None or not set(update_fields) <= UNSEARCHED


def _refresh(ids) -> None:
    services.refresh_search_documents(list(ids))


def integration_saved(sender, instance: Integration, created: bool, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if created:
        services.ensure_listing(instance)
    elif _changes_search(update_fields):
        services.refresh_search_documents([instance.pk])
    else:
        return
    # The integrations app bulk-creates webhook scopes after saving the integration, in the same
    # transaction and without signals: read the document again once that transaction is done.
    pk = instance.pk
    transaction.on_commit(lambda: services.refresh_search_documents([pk]))


def scope_changed(sender, instance: WebhookScope, raw=False, **kwargs):
    if not raw:
        _refresh([instance.integration_id])


def object_link_changed(sender, instance: ForeignObjectLink, raw=False, **kwargs):
    if not raw:
        _refresh(ForeignDataObject.objects.filter(pk=instance.foreign_object_id).values_list("integration", flat=True))


def application_saved(sender, instance: Application, created: bool, update_fields=None, raw=False, **kwargs):
    if not raw and not created and _changes_search(update_fields):
        _refresh(instance.integrations.values_list("pk", flat=True))


def organization_saved(sender, instance: Organization, created: bool, update_fields=None, raw=False, **kwargs):
    if raw or created or not _changes_search(update_fields):
        return
    _refresh(
        Integration.objects.filter(Q(owner=instance) | Q(application__provider=instance)).values_list("pk", flat=True)
    )


def connect() -> None:
    # The filter counts follow the public pages' generation (portal.page_cache), not signals here.
    post_save.connect(integration_saved, sender=Integration, dispatch_uid="marketplace.integration")
    post_save.connect(scope_changed, sender=WebhookScope, dispatch_uid="marketplace.scope_saved")
    post_delete.connect(scope_changed, sender=WebhookScope, dispatch_uid="marketplace.scope_deleted")
    post_save.connect(object_link_changed, sender=ForeignObjectLink, dispatch_uid="marketplace.link_saved")
    post_delete.connect(object_link_changed, sender=ForeignObjectLink, dispatch_uid="marketplace.link_deleted")
    post_save.connect(application_saved, sender=Application, dispatch_uid="marketplace.application")
    post_save.connect(organization_saved, sender=Organization, dispatch_uid="marketplace.organization")
