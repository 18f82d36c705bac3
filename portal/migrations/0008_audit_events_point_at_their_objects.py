"""Audit events get a kind of a closed list, a link to their object (and to the object whose history
they also belong to) with labels kept for when it is gone, and outlive their organization.

Events recorded before this have only the free-text action and target: the action becomes the
kind it was renamed to (an action no kind matches becomes "other", keeping the action in the
comment), and the target text becomes the labels, split where the old text joined two names.
Their links stay empty: a name is no safe way back to an object.
"""

import django.db.models.deletion
from django.db import migrations, models

import portal.audit

# The actions recorded until now, and the kinds they are now. Written out here, not read from
# the registry, so this migration does the same whatever kinds exist later.
RENAMED = {
    "profile.updated": "public_profile.updated",
    "version.added": "application_version.added",
    "version.updated": "application_version.updated",
    "version.removed": "application_version.removed",
    "openapi.uploaded": "openapi_import.uploaded",
    "openapi.imported": "openapi_import.imported",
    "openapi.refused": "openapi_import.refused",
    "data_object.linked": "foreign_object.linked",
    "data_object.declared": "foreign_object.declared",
    "data_object.removed": "foreign_object.removed",
    "mapping_tests.started": "mapping_test_run.started",
    "mapping_tests.finished": "mapping_test_run.finished",
}
UNCHANGED = {
    "organization.created",
    "organization.updated",
    "invitation.sent",
    "invitation.resent",
    "invitation.revoked",
    "invitation.declined",
    "invitation.accepted",
    "membership.role_changed",
    "membership.removed",
    "membership.left",
    "email.sent_again",
    "application.created",
    "application.updated",
    "version_submission.submitted",
    "version_submission.verified",
    "version_submission.rejected",
    "integration.created",
    "integration.updated",
    "integration.tier_changed",
    "integration_version.created",
    "integration_version.updated",
    "integration_version.published",
    "integration_version.designated_ready",
    "association.requested",
    "association.accepted",
    "association.declined",
    "association.ended",
    "association.withdrawn",
    "inbox.created",
    "inbox.secret_revealed",
    "inbox.secret_rotated",
    "inbox.event_verified",
    "foreign_object.accepted",
    "foreign_object.dropped",
    "foreign_object.renamed",
    "foreign_object.merged",
    "webhook_scope.linked",
    "translation_table.saved",
    "translation_table.deleted",
    "template_mapping.created",
    "template_mapping.updated",
    "template_mapping.cloned",
    "template_mapping.reverse_cloned",
    "template_mapping.deleted",
    "mapping_row.added",
    "mapping_row.updated",
    "mapping_row.deleted",
    "mapping_test.created",
    "mapping_test.updated",
    "mapping_test.deleted",
    "data_model.changed",
    "data_model.removed",
    "listing.visibility_changed",
    "integration_version.started",
    "certification_request.submitted",
    "certification_request.changes_requested",
    "certification_request.approved",
    "certification_request.rejected",
    "certification_request.withdrawn",
    "workflow_template.submitted",
    "workflow_template.approved",
    "workflow_template.rejected",
    "subscription.started",
    "subscription.cancelled",
    "review.requested",
    "review.written",
    "review.edited",
    "review.answered",
    "review.answer_edited",
    "review.disputed",
    "dispute.decided",
    "review.flagged",
}
OTHER = "other"
# How the old target text named the object and the one it belonged to.
COLON = ("openapi_import.", "foreign_object.", "webhook_scope.", "translation_table.", "template_mapping.")
COLON += ("mapping_row.", "mapping_test.")  # "Magento by Northwind: Orders", "<mapping>: <row target>"
# The integration (version) alone
WITHIN_ONLY = ("inbox.", "mapping_test_run.", "listing.", "certification_request.", "subscription.")
WITHIN_ONLY += ("review.requested", "review.written", "review.edited")
REVIEW_OF = ("review.answered", "review.answer_edited", "review.disputed", "dispute.decided")  # "<integration>: review by <org>"
BATCH = 500


def _labels(kind: str, text: str) -> tuple[str, str]:
    """(target_label, within_label) from an old target text."""
    if kind in REVIEW_OF and ": " in text:
        within, _, target = text.partition(": ")
        return target.removeprefix("review by "), within
    if kind.startswith("workflow_template.") and " for " in text:
        target, _, within = text.partition(" for ")  # "<template> for <integration> <number>"
        return target, within
    if kind.startswith(COLON) and ": " in text:
        within, _, target = text.partition(": ")
        return target, within
    if kind.startswith(WITHIN_ONLY):
        return "", text
    if kind.startswith("association.") and " on " in text:
        target, _, within = text.partition(" on ")
        return target, within
    if kind.startswith("integration_version.") and " " in text:
        within, _, number = text.rpartition(" ")  # "<integration> <number>": numbers have no spaces
        return number, within
    return text, ""


def _convert(event) -> None:
    kind = RENAMED.get(event.action) or (event.action if event.action in UNCHANGED else OTHER)
    event.kind = kind
    event.target_label, event.within_label = _labels(kind, event.target)
    event.target_label, event.within_label = event.target_label[:200], event.within_label[:200]
    if kind == OTHER:
        event.comment = f"{event.action}: {event.comment}" if event.comment else event.action
    event.organization_name = event.organization.name if event.organization else ""
    event.actor_name = (event.actor.name or event.actor.email) if event.actor else ""


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("portal", "AuditEvent")
    events = AuditEvent.objects.select_related("organization", "actor").order_by("pk")
    fields = ["kind", "target_label", "within_label", "comment", "organization_name", "actor_name"]
    batch = []
    for event in events.iterator(chunk_size=BATCH):
        _convert(event)
        batch.append(event)
        if len(batch) == BATCH:
            AuditEvent.objects.bulk_update(batch, fields)
            batch = []
    AuditEvent.objects.bulk_update(batch, fields)


def backwards(apps, schema_editor):
    """The action back from the kind and the target from the labels; the links are lost."""
    AuditEvent = apps.get_model("portal", "AuditEvent")
    old_names = {kind: action for action, kind in RENAMED.items()}
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=BATCH):
        event.action = old_names.get(event.kind, event.kind)
        event.target = ": ".join(filter(None, [event.within_label, event.target_label]))[:200]
        event.save(update_fields=["action", "target"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0007_organization_creator_and_form_tokens"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="audit_events",
                to="portal.organization",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="organization_name",
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_name",
            field=models.CharField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="kind",
            field=models.CharField(choices=portal.audit.kind_choices, default=OTHER, max_length=60),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="target_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="target_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="target_label",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="within_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="within_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="within_label",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["target_type", "target_id"], name="audit_event_target"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["within_type", "within_id"], name="audit_event_within"),
        ),
        # Last: PostgreSQL alters no table with updates waiting on deferred checks in the same
        # transaction, so the old columns go in the next migration.
        migrations.RunPython(forwards, backwards),
    ]
