"""The cache that rate limits count in: shared through Redis when REDIS_URL
is set (several server processes must share one budget per client), memory
otherwise."""

import os
import subprocess
import sys
import uuid

from django.conf import settings
from django.core.cache import cache


def test_the_cache_matches_the_environment():
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.REDIS_URL:
        # Redis, falling back to a per-process count while it is unreachable.
        assert backend == "casehub.resilient_cache.ResilientRedisCache"
        assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"


def test_another_process_sees_what_this_one_counted():
    if not settings.REDIS_URL:
        return  # memory is per process by design: `make run` serves from one
    key = f"probe-{uuid.uuid4().hex}"
    cache.set(key, 7, 30)
    code = ("import django; django.setup(); from django.core.cache import cache; "
            f"print(cache.get({key!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "casehub.settings"})
    assert out.stdout.strip() == "7"
