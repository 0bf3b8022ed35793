"""The chain of custody is append-only in the database too (PostgreSQL),
like the audit log and the timeline (migration 0003 made the function)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TRIGGER casehub_custodyevent_append_only BEFORE UPDATE OR DELETE ON casehub_custodyevent "
            "FOR EACH ROW EXECUTE FUNCTION casehub_refuse_change()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS casehub_custodyevent_append_only ON casehub_custodyevent")


class Migration(migrations.Migration):
    dependencies = [("casehub", "0006_transfer_hand_over")]
    operations = [migrations.RunPython(forwards, backwards)]
