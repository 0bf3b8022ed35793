from django.db import migrations, models


class Migration(migrations.Migration):
    """The public list's order as an index of the published records: the
    portal's and the API's pages walk it (100,000 records: a page in ms)."""

    dependencies = [
        ("disclosure", "0004_public_revisions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="disclosurerecord",
            index=models.Index(condition=models.Q(("status", "published")), fields=["-published_on", "-id"],
                               name="disclosure_public_order"),
        ),
    ]
