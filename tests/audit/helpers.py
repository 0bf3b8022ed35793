import contextlib
import hashlib
from datetime import timedelta
from unittest import mock

from django.db import connection
from django.utils import timezone

from casehub import audit


def write_entries(n=5, action="case.read"):
    return [audit.record(user=None, action=action, object_type="case", object_id=i) for i in range(n)]


@contextlib.contextmanager
def days_ago(days):
    """Entries written inside this block carry a time `days` in the past (the
    archive tests need entries past the retention period)."""
    then = timezone.now() - timedelta(days=days)
    with mock.patch("django.utils.timezone.now", return_value=then):
        yield then


def tamper(sql, params=()):
    """What a DBA with table access could do, bypassing the application (and,
    on PostgreSQL, the triggers: a superuser with replication role)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


def plain_sha256(entry) -> str:
    """What a forger without the key can compute: the old unkeyed hash."""
    return hashlib.sha256(entry.canonical()).hexdigest()
