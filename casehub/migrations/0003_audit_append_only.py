"""On PostgreSQL the database itself refuses to change or remove audit
entries and timeline events; the application never tries."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION casehub_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'rows of % are append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TABLES = ["casehub_auditentry", "casehub_timelineevent"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # no interpolation: RAISE uses %
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION casehub_refuse_change()"
        )
    # TRUNCATE is left to the table owner (the migrating role): the test
    # runner's flush uses it, and the application never issues it.


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")


class Migration(migrations.Migration):
    dependencies = [("casehub", "0002_cases")]
    operations = [migrations.RunPython(forwards, backwards)]
