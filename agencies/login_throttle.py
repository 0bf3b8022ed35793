"""Brute-force protection for password logins: failed attempts are counted
per username and per client address in the shared cache (Redis in
production, so every server process counts together); past the limit, the
username or address is locked out for the rest of the window, whatever
password it tries. The authentication backend enforces it, so every login
form (the site's, the admin's, the browsable API's) is covered."""

from django.conf import settings
from django.core.cache import cache


def _limits() -> tuple[int, int, int]:
    conf = settings.LOGIN_THROTTLE
    return conf["per_username"], conf["per_address"], conf["window_seconds"]


def window_minutes() -> int:
    return _limits()[2] // 60


def _keys(username: str | None, address: str | None) -> list[str]:
    keys = []
    if username:
        keys.append(f"login-fail:user:{username.strip().lower()}")
    if address:
        keys.append(f"login-fail:addr:{address}")
    return keys


def locked(username: str | None, address: str | None) -> bool:
    per_username, per_address, _window = _limits()
    counts = cache.get_many(_keys(username, address))
    return any(count >= (per_username if ":user:" in key else per_address) for key, count in counts.items())


def record_failure(username: str | None, address: str | None) -> None:
    _per_username, _per_address, window = _limits()
    for key in _keys(username, address):
        # The window starts at the first failure and is not extended by later ones.
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, window)


def forget(username: str | None) -> None:
    """A successful login clears its username's count (not its address's)."""
    cache.delete_many(_keys(username, None))
