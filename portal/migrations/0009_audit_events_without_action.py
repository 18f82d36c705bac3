"""The free-text action and target of audit events are gone: 0008 turned them into kinds and labels."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0008_audit_events_point_at_their_objects"),
    ]

    operations = [
        # Defaults first, so that undoing this migration can add the columns back to existing rows.
        migrations.AlterField(model_name="auditevent", name="action", field=models.CharField(default="", max_length=60)),
        migrations.AlterField(
            model_name="auditevent", name="target", field=models.CharField(blank=True, default="", max_length=200)
        ),
        migrations.RemoveField(model_name="auditevent", name="action"),
        migrations.RemoveField(model_name="auditevent", name="target"),
    ]
