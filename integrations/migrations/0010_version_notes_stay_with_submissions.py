"""Verifying a submission used to copy the submitter's notes, written to staff, into the version's
public notes. Those copies are removed; the notes stay on the submission, which staff read."""

from django.db import migrations


def remove_copied_notes(apps, schema_editor):
    VersionSubmission = apps.get_model("integrations", "VersionSubmission")
    ApplicationVersion = apps.get_model("integrations", "ApplicationVersion")
    verified = VersionSubmission.objects.filter(status="verified", version__isnull=False).exclude(notes="")
    for submission in verified.select_related("version").iterator():
        if submission.version.notes == submission.notes:
            ApplicationVersion.objects.filter(pk=submission.version_id).update(notes="")


class Migration(migrations.Migration):
    dependencies = [("integrations", "0009_foreign_object_paths_help")]

    operations = [migrations.RunPython(remove_copied_notes, migrations.RunPython.noop)]
