from django.db import migrations, models

# The stored timestamp at which each step's clock starts (rules.deadline_step,
# services.transfers._take): none is stored for a reconsideration's request.
STARTED_BY_STEP = {
    "approve": "proposed_at",
    "send": "approved_at",
    "decide": "sent_at",
    "decide_reverse": "sent_at",
    "decide_other": "sent_at",
    "reconsider_request": "decided_at",
    "hand_over": "decided_at",
}


def backfill(apps, schema_editor):
    Transfer = apps.get_model("casehub", "Transfer")
    for step, started in STARTED_BY_STEP.items():
        Transfer.objects.filter(due_step=step, due_since__isnull=True, **{f"{started}__isnull": False}) \
            .update(due_since=models.F(started))


class Migration(migrations.Migration):

    dependencies = [
        ('casehub', '0017_case_agency_deadline'),
    ]

    operations = [
        migrations.AddField(
            model_name='transfer',
            name='due_since',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
