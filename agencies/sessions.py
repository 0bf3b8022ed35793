"""The database session store, read in one round trip with its user.

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

Writes (login, logout, changes) are Django's. SESSION_ENGINE points here.
"""

from __future__ import annotations

from collections import OrderedDict
from contextvars import ContextVar
from threading import Lock

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from .loading import load_session_and_user, user_pk

# session key -> the id of the user it belongs to, for the sessions this
# process has seen lately.
_OWNERS_KEPT = 10_000
_owners: OrderedDict[str, object] = OrderedDict()
_owners_lock = Lock()

# The user read with this request's session, until the backend takes it.
_preloaded: ContextVar[tuple | None] = ContextVar("casehub_preloaded_user", default=None)


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


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        _preloaded.set(None)
        key = self.session_key
        if not key:
            self._session_key = None
            return None
        model = self.model
        db_alias = router.db_for_read(model)
        connection = connections[db_alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        owner = _expected_owner(key)
        if owner is not None:
            data, user = load_session_and_user(model._meta.db_table, key, now, owner, db_alias)
            if data is not None:
                _preloaded.set((owner, user))
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    f'SELECT "session_data" FROM "{model._meta.db_table}" '
                    f'WHERE "session_key" = %s AND "expire_date" > %s',
                    [key, now],
                )
                row = cursor.fetchone()
            data = row[0] if row else None
        if data is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=data)

    def load(self):
        data = super().load()
        user_id = user_pk(data.get(SESSION_KEY)) if data else None
        if user_id is not None and self.session_key:
            _remember_owner(self.session_key, user_id)
        return data
