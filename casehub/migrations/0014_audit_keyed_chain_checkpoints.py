"""The keyed, anchored audit chain: entries name the key that signed them;
checkpoints (and archive anchors) are append-only; on PostgreSQL TRUNCATE is
refused on every append-only table, and audit entries can be removed only
once an archive anchor covers them and they are past the legal 180 days."""

import django.utils.timezone
from django.db import migrations, models

# Audit entries: never updated; deleted only when an archive anchor covers
# them (manage.py audit_archive wrote and verified the signed archive first)
# and they are older than the 180 days GB/T 22239-2019 level 3 and 网络安全法
# art. 21 require, whatever the application's settings say.
AUDIT_GUARD = """
CREATE OR REPLACE FUNCTION casehub_audit_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.at < now() - interval '180 days' AND OLD.seq <= (
       SELECT max(last_seq) FROM casehub_auditcheckpoint WHERE kind = 'archive') THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'rows of % are append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
# Statement-level: TRUNCATE fires no row trigger. casehub_refuse_change()
# comes from migration 0003. The test runner's flush gets past these as a
# superuser with session_replication_role = replica (tests/conftest.py).
NO_TRUNCATE = ["casehub_auditentry", "casehub_auditcheckpoint", "casehub_timelineevent", "casehub_custodyevent"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(AUDIT_GUARD, params=None)  # no interpolation: RAISE uses %
    schema_editor.execute("DROP TRIGGER casehub_auditentry_append_only ON casehub_auditentry")
    schema_editor.execute("CREATE TRIGGER casehub_auditentry_append_only BEFORE UPDATE OR DELETE ON casehub_auditentry "
                          "FOR EACH ROW EXECUTE FUNCTION casehub_audit_guard()")
    schema_editor.execute("CREATE TRIGGER casehub_auditcheckpoint_append_only BEFORE UPDATE OR DELETE "
                          "ON casehub_auditcheckpoint FOR EACH ROW EXECUTE FUNCTION casehub_refuse_change()")
    for table in NO_TRUNCATE:
        schema_editor.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                              f"FOR EACH STATEMENT EXECUTE FUNCTION casehub_refuse_change()")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in NO_TRUNCATE:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    schema_editor.execute("DROP TRIGGER IF EXISTS casehub_auditcheckpoint_append_only ON casehub_auditcheckpoint")
    schema_editor.execute("DROP TRIGGER casehub_auditentry_append_only ON casehub_auditentry")
    schema_editor.execute("CREATE TRIGGER casehub_auditentry_append_only BEFORE UPDATE OR DELETE ON casehub_auditentry "
                          "FOR EACH ROW EXECUTE FUNCTION casehub_refuse_change()")
    schema_editor.execute("DROP FUNCTION IF EXISTS casehub_audit_guard()")


class Migration(migrations.Migration):

    dependencies = [
        ('casehub', '0013_audit_owner_agency'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='key_id',
            field=models.CharField(default='', max_length=16),
        ),
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(default='checkpoint', max_length=12)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('first_seq', models.PositiveBigIntegerField()),
                ('last_seq', models.PositiveBigIntegerField()),
                ('last_hash', models.CharField(max_length=64)),
                ('count', models.PositiveBigIntegerField()),
                ('detail', models.JSONField(blank=True, default=dict)),
                ('prev_signature', models.CharField(max_length=64)),
                ('key_id', models.CharField(max_length=16)),
                ('signature', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': 'audit checkpoint',
                'verbose_name_plural': 'audit checkpoints',
                'ordering': ['id'],
                'indexes': [models.Index(fields=['kind', 'last_seq'], name='audit_checkpoint_kind')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
