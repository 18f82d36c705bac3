"""Every existing organization gets the permission group new ones get when they are made
(portal.signals.create_permission_group), so reading an organization's grants never writes."""

from django.db import migrations


def create_missing_permission_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Organization = apps.get_model("portal", "Organization")
    for organization in Organization.objects.filter(permission_group__isnull=True).only("pk", "public_id"):
        group, _ = Group.objects.get_or_create(name=f"organization:{organization.public_id}")
        Organization.objects.filter(pk=organization.pk, permission_group__isnull=True).update(permission_group=group)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("portal", "0003_organization_permission_group"),
    ]

    operations = [
        # Nothing to undo: the groups were always meant to exist, and the old code made them on demand.
        migrations.RunPython(create_missing_permission_groups, migrations.RunPython.noop),
    ]
