import pytest
from django.db import transaction
from django.db.backends.postgresql.operations import DatabaseOperations
from rest_framework.test import APIClient


def pytest_configure(config):
    _flush_past_the_truncate_triggers()


def _flush_past_the_truncate_triggers():
    """Transactional tests end with Django's flush, a TRUNCATE of every table,
    which PostgreSQL refuses on the append-only tables (migration 0014). The
    test database's role is a superuser: for the flush alone it sets
    session_replication_role = replica, under which ordinary triggers do not
    fire. Production is untouched: the setting is superuser-only, and there
    `manage.py flush` is refused, as it should be."""
    original = DatabaseOperations.execute_sql_flush
    if getattr(original, "past_triggers", False):
        return

    def execute_sql_flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias):
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            original(self, sql_list)

    execute_sql_flush.past_triggers = True
    DatabaseOperations.execute_sql_flush = execute_sql_flush


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to the test's own folder (its path), not the developer's MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 at production strength costs ~0.3 s a user; tests create many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config):
    from django.conf import settings

    return (
        f"casehub backends: database={settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"channel layer={settings.CHANNEL_LAYERS['default']['BACKEND'].rsplit('.', 1)[-1]}, "
        f"search={'elasticsearch' if settings.ELASTICSEARCH_URL else 'database'}"
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Cached lookups (the working-day calendar) must not outlive a test's
    # rolled-back rows.
    from django.core.cache import cache

    from casehub.calendar import forget_calendar

    cache.clear()
    forget_calendar()
    yield
    cache.clear()
    forget_calendar()
