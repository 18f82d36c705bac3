"""Deleting an integration takes its snapshots along, those a run is writing at that moment too.

The snapshots' integration is not checked by the database (models.ScoreSnapshot): instead a run
holds every integration while it writes its day (services.held_integrations). Django's deletion
collects an integration's snapshots before it deletes anything, so a run that commits between the
two would leave snapshots of an integration that is gone; this receiver, called once the
collection is done, waits for such a write and deletes every snapshot the integration has then."""

from integrations.models import Integration
from scoring.runs.storage import delete_snapshots_of


def integration_deleting(sender, instance: Integration, using: str, **kwargs) -> None:
    # FOR UPDATE waits for a run's KEY SHARE hold on the row to end with its transaction.
    Integration.objects.using(using).select_for_update().filter(pk=instance.pk).exists()
    delete_snapshots_of(instance.pk)
