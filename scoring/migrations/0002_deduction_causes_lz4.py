"""A deduction's causes and realigned records are compressed with lz4 instead of pglz where the
server has it: a run writes 20 MB of them as JSON each night, and pglz took a fifth of that COPY
(lz4 compresses several times faster, about as well for these repetitive lists). Only values
written from now on; a server built without lz4 keeps pglz."""

from django.db import migrations

COLUMNS = ("causes", "realigned")


def _set_compression(apps, schema_editor, method: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
        row = cursor.fetchone()
    if method != "default" and (row is None or method not in row[0]):
        return
    alterations = ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}" for column in COLUMNS)
    schema_editor.execute(f"ALTER TABLE scoring_deduction {alterations}")


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_scoring_policy_runs_snapshots")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: _set_compression(apps, schema_editor, "lz4"),
            lambda apps, schema_editor: _set_compression(apps, schema_editor, "default"),
        ),
    ]
