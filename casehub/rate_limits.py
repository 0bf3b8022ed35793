"""Request rates: fixed-window counters in the shared cache.

One counter a client and window (`add` then `incr`: atomic in Redis, one
small integer whatever the rate), so 6,000 requests a minute cost no more
than 6. The cache is the resilient one (casehub/resilient_cache.py): with
Redis down the counts go on per process, and no request fails for it.

Rates are DRF's strings ("120/min") in REST_FRAMEWORK's DEFAULT_THROTTLE_RATES,
read at each request so that a changed setting applies at once.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """(requests, seconds) from "6000/min"."""
    count, period = rate.split("/")
    return int(count), _PERIODS[period.strip()[0]]


def hit(key: str, window: int) -> int:
    """Count one more in `key` for `window` seconds; the count so far.
    The Redis backend counts in one round trip (ResilientRedisCache.count);
    elsewhere incrementing first: within a window (nearly every request)
    that is the one operation, the window's first request adds the key."""
    count = getattr(cache, "count", None)
    if count is not None:
        return count(key, window)
    try:
        return cache.incr(key)
    except ValueError:  # the window's first request
        if cache.add(key, 1, window):
            return 1
        try:
            return cache.incr(key)  # another request added it meanwhile
        except ValueError:
            return 1


class FixedWindowThrottle(BaseThrottle):
    """A DRF throttle: at most N requests a period per client of a scope.

    Subclasses name the `scope` and say who the client is (`client_key`);
    `rate` on the class overrides the configured one.
    """

    scope: str = ""
    rate: str | None = None

    def client_key(self, request, view) -> str | None:
        raise NotImplementedError

    def configured_rate(self) -> str | None:
        return self.rate or api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        rate = self.configured_rate()
        client = self.client_key(request, view)
        if rate is None or client is None:
            return True
        limit, period = parse_rate(rate)
        now = time.time()
        window = int(now // period)
        self._wait = period - (now - window * period)
        return hit(f"rate:{self.scope}:{client}:{window}", period) <= limit

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)
