"""The database session store, read in one round trip with its user, with
an idle timeout and an absolute lifetime enforced on the server.

Every signed-in request reads its session row and then its user. Django's
store reads the row through a queryset (building and compiling it costs
several times the query), and the user follows in a second round trip.
Here the row is read with plain SQL, and once this process has seen a
session, the user it belongs to comes in the same statement: a session key
never changes hands (Django gives a new key at every login), so which user
to expect is known, while the session row, the user and their memberships
are still read fresh on every request — a logout, a deactivation or an
ended membership takes effect at once. The user read with the session is
handed to the authentication backend (backends.py) only if the session
turns out to be that user's; otherwise the backend loads the user itself.

Lifetime (GB/T 22239-2019 8.1.4.1 b). The row's expire_date is the idle
deadline: the last activity plus SESSION_IDLE_TIMEOUT, never later than
the absolute deadline, SESSION_ABSOLUTE_LIFETIME after sign-in (the time of
sign-in is kept in the session, stamped by the user_logged_in signal). A
request moves expire_date forward only when the last move is older than
SESSION_ACTIVITY_RESOLUTION: one UPDATE a minute at most, not a write per
request. A session past either deadline signs nobody in, whatever its
cookie says, and the store remembers why (`ended_reason`) so that the
sign-in page can tell the user (signed_out.py). Reading a session for a
WebSocket is not activity (`without_activity`).

Writes (login, logout, changes) are Django's. SESSION_ENGINE points here.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from threading import Lock

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.dispatch import receiver
from django.utils import timezone

from .loading import aware, load_session_and_user, user_pk

# Where the time of sign-in is kept in the session (seconds since the epoch).
SIGNED_IN_AT = "_casehub_signed_in_at"

# Why a session cookie no longer signs anyone in.
IDLE = "idle"  # no request for SESSION_IDLE_TIMEOUT
ABSOLUTE = "absolute"  # SESSION_ABSOLUTE_LIFETIME after sign-in
ENDED = "session_ended"  # no such session any more (logout elsewhere, password change, removed)

# session key -> the id of the user it belongs to, for the sessions this
# process has seen lately.
_OWNERS_KEPT = 10_000
_owners: OrderedDict[str, object] = OrderedDict()
_owners_lock = Lock()

# The user read with this request's session, until the backend takes it.
_preloaded: ContextVar[tuple | None] = ContextVar("casehub_preloaded_user", default=None)
# Set while a session is read for something that is not the user's doing.
_passive: ContextVar[bool] = ContextVar("casehub_session_passive", default=False)


def _expected_owner(key: str):
    with _owners_lock:
        return _owners.get(key)


def _remember_owner(key: str, user_id) -> None:
    with _owners_lock:
        _owners[key] = user_id
        _owners.move_to_end(key)
        while len(_owners) > _OWNERS_KEPT:
            _owners.popitem(last=False)


def take_preloaded_user(user_id):
    """The user read with this request's session, if it is `user_id`'s;
    else None. Taken once."""
    preloaded = _preloaded.get()
    if preloaded is None:
        return None
    _preloaded.set(None)
    owner, user = preloaded
    return user if user is not None and owner == user_pk(user_id) else None


@contextmanager
def without_activity():
    """Sessions read inside do not count as the user's activity (a socket
    opening or being checked again, not a request the user made)."""
    token = _passive.set(True)
    try:
        yield
    finally:
        _passive.reset(token)


def set_passive() -> None:
    """Like without_activity, for the rest of the current context (an ASGI
    connection's task)."""
    _passive.set(True)


def idle_timeout() -> timedelta:
    return timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)


def absolute_deadline(data: dict) -> datetime | None:
    """When a signed-in session ends whatever the activity; None if the
    session holds no time of sign-in."""
    stamp = data.get(SIGNED_IN_AT)
    if isinstance(stamp, bool) or not isinstance(stamp, int | float):
        return None
    return datetime.fromtimestamp(stamp, UTC) + timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME)


def ended_reason(data: dict, expire_date: datetime, now: datetime) -> str | None:
    """Why a session row signs nobody in any more (IDLE, ABSOLUTE), or None
    while it does."""
    absolute = absolute_deadline(data)
    if absolute is None and data.get(SESSION_KEY) is not None:
        return ABSOLUTE  # signed in before sessions kept their time of sign-in
    if absolute is not None and absolute <= now:
        return ABSOLUTE
    if expire_date <= now:
        return IDLE
    return None


def live_until(data: dict, expire_date: datetime) -> datetime:
    """The moment the session ends unless a request comes first."""
    absolute = absolute_deadline(data)
    return expire_date if absolute is None else min(expire_date, absolute)


@receiver(user_logged_in, dispatch_uid="session_stamp_sign_in")
def stamp_sign_in(sender, request, user, **kwargs):
    # The absolute lifetime counts from here, not from the session's first
    # (anonymous) row: login() has just given the session a new key.
    session = getattr(request, "session", None)
    if session is not None:
        session[SIGNED_IN_AT] = time.time()


class SessionStore(db.SessionStore):
    # Why the cookie's session signs nobody in (IDLE, ABSOLUTE, ENDED), once loaded.
    ended_reason: str | None = None
    # When the session ends unless a request comes first, once loaded.
    live_until: datetime | None = None

    def _read(self, key: str):
        """(session data, expire_date) of the row, live or not, or None; the
        user it is expected to belong to is read in the same statement."""
        model = self.model
        db_alias = router.db_for_read(model)
        owner = _expected_owner(key)
        if owner is not None:
            found = load_session_and_user(model._meta.db_table, key, owner, db_alias)
            if found is None:
                return None
            data, expire_date, user = found
            _preloaded.set((owner, user))
            return data, expire_date
        with connections[db_alias].cursor() as cursor:
            cursor.execute(
                f'SELECT "session_data", "expire_date" FROM "{model._meta.db_table}" WHERE "session_key" = %s', [key]
            )
            row = cursor.fetchone()
        return (row[0], aware(row[1])) if row else None

    def load(self):
        _preloaded.set(None)
        self.ended_reason = self.live_until = None
        key = self.session_key
        if not key:
            self._session_key = None
            return {}
        row = self._read(key)
        data = self.decode(row[0]) if row else {}
        now = timezone.now()
        reason = ENDED if row is None else ended_reason(data, row[1], now)
        if reason is not None:
            # The row stays until clearsessions; it never signs anyone in again.
            _preloaded.set(None)
            self.ended_reason = reason
            self._session_key = None
            return {}
        self.live_until = live_until(data, self._note_activity(key, data, row[1], now))
        user_id = user_pk(data.get(SESSION_KEY))
        if user_id is not None:
            _remember_owner(key, user_id)
        return data

    async def aload(self):
        return await sync_to_async(self.load)()

    def _note_activity(self, key: str, data: dict, expire_date: datetime, now: datetime) -> datetime:
        """Move the idle deadline forward if the last move is older than the
        resolution; the new expire_date."""
        if _passive.get():
            return expire_date
        idle = idle_timeout()
        resolution = min(timedelta(seconds=settings.SESSION_ACTIVITY_RESOLUTION), idle / 2)
        if expire_date > now + idle - resolution:
            return expire_date  # moved within the resolution
        new = now + idle
        absolute = absolute_deadline(data)
        if absolute is not None:
            new = min(new, absolute)
        if new <= expire_date:
            return expire_date  # at the absolute deadline already
        connection = connections[router.db_for_write(self.model)]
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            # Never brings back a row that ended meanwhile.
            cursor.execute(
                f'UPDATE "{self.model._meta.db_table}" SET "expire_date" = %s '
                f'WHERE "session_key" = %s AND "expire_date" > %s',
                [adapt(new), key, adapt(now)],
            )
        return new

    def get_session_cookie_age(self):
        # The cookie (and Django's expiry date) runs to the absolute deadline.
        absolute = absolute_deadline(self._session)
        if absolute is None:
            return settings.SESSION_ABSOLUTE_LIFETIME
        return max(0, int((absolute - timezone.now()).total_seconds()))

    def create_model_instance(self, data):
        # The row's expire_date is the idle deadline.
        instance = super().create_model_instance(data)
        instance.expire_date = min(instance.expire_date, timezone.now() + idle_timeout())
        return instance

    async def acreate_model_instance(self, data):
        return await sync_to_async(self.create_model_instance)(data)
