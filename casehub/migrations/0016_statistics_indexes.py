"""Covering indexes for the statistics (casehub/statistics/): a year's
cases by the date that places them in it, with the columns they are
grouped and scoped by, so an aggregate reads the index alone (an
index-only scan) rather than every wide case row. PostgreSQL only: SQLite
has no INCLUDE, and its development databases are small."""

from django.db import migrations

INDEXES = {
    "case_stats_lead": ("lead_received_on",
                        "id, owning_agency_id, region_id, status, ip_type, kind, campaign"),
    "case_stats_filed": ("filed_on", "id, owning_agency_id, region_id, kind, filing_due_on"),
    "case_stats_decided": ("decision_date", "id, owning_agency_id, region_id, outcome, ip_type, decision_due_on, "
                                            "fine_amount, confiscated_amount"),
    "case_stats_closed": ("closed_on", "id, owning_agency_id, region_id"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (key, include) in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "casehub_case" ("{key}") INCLUDE ({include})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("casehub", "0015_statistics")]
    operations = [migrations.RunPython(create, drop)]
