"""Tokens issued before tokens expired by default: each gets the default
lifetime from now (API_TOKEN_LIFETIME_DAYS), so none lasts for ever and
none stops working without notice."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def give_an_expiry(apps, schema_editor):
    days = getattr(settings, "API_TOKEN_LIFETIME_DAYS", 90)
    if days <= 0:
        return
    ApiToken = apps.get_model("agencies", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True, revoked_at__isnull=True).update(
        expires_at=timezone.now() + timedelta(days=days)
    )


class Migration(migrations.Migration):
    dependencies = [("agencies", "0003_password_history_and_age")]

    operations = [migrations.RunPython(give_an_expiry, migrations.RunPython.noop)]
