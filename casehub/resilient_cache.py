"""The shared cache, degraded rather than down.

Every rate limit (password logins, the public disclosure doors, the per-user
API rate) counts in the default cache, which is Redis when REDIS_URL is set so
that all server processes share one budget. When Redis cannot be reached, a
count must not turn into a 500: this backend then counts in a per-process
memory store instead, for ``retry_after`` seconds before it tries Redis again,
and logs a warning at most once per ``warn_every`` seconds (not per request).
Degraded, a client gets the budget once per process rather than once in
all: a brute force gains a few attempts, nobody is locked out of service.

Short socket timeouts matter as much as the fallback: a Redis that hangs
(paused, or a network partition that drops packets) would otherwise hold
every request for as long as the kernel waits.
"""

from __future__ import annotations

import logging
import threading
import time

import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger("casehub.degraded")

# Failures of the connection, not of a command: a wrong value is still an error.
UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError, OSError)

# The same state for every thread's cache instance (Django makes one a thread).
_state = {"down_until": 0.0, "warned_at": None, "down": False}
_lock = threading.Lock()


LOCAL_STORE = "casehub-degraded"


def reset() -> None:
    """Forget an outage and what was counted during it (tests)."""
    with _lock:
        _state.update(down_until=0.0, warned_at=None, down=False)
    LocMemCache(LOCAL_STORE, {}).clear()


def is_degraded() -> bool:
    return _state["down"]


class ResilientRedisCache(RedisCache):
    """Redis, with a per-process memory store while Redis is unreachable.

    OPTIONS takes, besides redis-py's own (socket_timeout, …):
    ``retry_after`` (seconds in the memory store after a failure, default 5)
    and ``warn_every`` (seconds between warnings, default 60).
    """

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self._retry_after = float(options.pop("retry_after", 5))
        self._warn_every = float(options.pop("warn_every", 60))
        params["OPTIONS"] = options
        super().__init__(server, params)
        # One memory store per process (LocMemCache shares storage by name).
        self._local = LocMemCache(LOCAL_STORE, {
            "TIMEOUT": params.get("TIMEOUT", 300), "KEY_PREFIX": params.get("KEY_PREFIX", ""),
            "VERSION": params.get("VERSION", 1), "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 10},
        })

    def count(self, key, timeout: int) -> int:
        """One more in the counter `key`, which lives `timeout` seconds from
        its first count; the count so far. In Redis one round trip (INCR,
        and EXPIRE NX for the window's first), where add-then-incr is three."""
        if self._primary_usable():
            try:
                made = self.make_and_validate_key(key)
                with self._cache.get_client(made, write=True).pipeline() as pipe:
                    count, _ = pipe.incr(made).expire(made, int(timeout), nx=True).execute()
            except UNAVAILABLE as error:
                self._failed(error)
            else:
                self._recovered()
                return count
        if self._local.add(key, 1, timeout):
            return 1
        try:
            return self._local.incr(key)
        except ValueError:
            return 1

    def _primary_usable(self) -> bool:
        return time.monotonic() >= _state["down_until"]

    def _failed(self, error: BaseException) -> None:
        now = time.monotonic()
        with _lock:
            _state["down_until"] = now + self._retry_after
            _state["down"] = True
            warned = _state["warned_at"]
            if warned is not None and now - warned < self._warn_every:
                return
            _state["warned_at"] = now
        log.warning("Redis cache unreachable (%s: %s): rate limits count per process for now",
                    type(error).__name__, error)

    def _recovered(self) -> None:
        if _state["down"]:
            with _lock:
                was_down, _state["down"] = _state["down"], False
            if was_down:
                log.warning("Redis cache reachable again: rate limits are shared again")


def _resilient(name: str):
    primary = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        if self._primary_usable():
            try:
                result = primary(self, *args, **kwargs)
            except UNAVAILABLE as error:
                self._failed(error)
            else:
                self._recovered()
                return result
        return getattr(self._local, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = primary.__doc__
    return method


for _name in ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many",
              "clear"):
    setattr(ResilientRedisCache, _name, _resilient(_name))
