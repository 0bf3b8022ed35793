import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


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
