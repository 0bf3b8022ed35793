"""Is a session, or an API token, still good long after it signed its user
in? Asked by whoever keeps something open on it (a WebSocket): when its
deadline comes, when `credentials_ended` says something changed, and in a
periodic sweep of every socket a server process holds. The answer for any
number of credentials comes from one statement: the session rows, the
tokens and their users (active, password hash, whether they still belong to
an agency).

A credential is (SESSION, session key) or (TOKEN, token id); its standing
says why it ended (the reasons below, sessions.IDLE / ABSOLUTE, and those of
credentials.py), or until when it is good at most without a new look.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connections, models, router
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from . import sessions
from .credentials import DEACTIVATED, PASSWORD_CHANGED, TOKEN_ENDED, TOKEN_EXPIRED, TOKEN_REVOKED
from .loading import aware, user_pk
from .models import Agency, ApiToken, Membership, User

SESSION = "session"
TOKEN = "token"
# The user belongs to no agency any more (and is no platform administrator).
NO_AGENCY = "no_agency"

Credential = tuple[str, object]
_CHUNK = 2000  # credentials per statement: well under every database's parameter limit


@dataclass(frozen=True)
class Standing:
    ended: str | None = None  # why it signs its user in no more; None while it does
    until: datetime | None = None  # it must be looked at again by then (None: no deadline)


@dataclass(frozen=True)
class _UserRow:
    password: str
    active: bool
    has_agency: bool
    service: int  # 0 a person, 1 a service account of an active agency, 2 of an inactive one


def standing(credential: Credential, user_id) -> Standing:
    return standings({credential: user_id})[credential]


def standings(held: Mapping[Credential, object]) -> dict[Credential, Standing]:
    """The standing of each credential, held by the user it maps to."""
    owners = {_normal(credential): user_pk(uid) for credential, uid in held.items()}
    session_rows, token_rows, users = {}, {}, {}
    items = list(owners.items())
    for start in range(0, len(items), _CHUNK):
        chunk = items[start:start + _CHUNK]
        keys = [ref for (kind, ref), _ in chunk if kind == SESSION]
        ids = [ref for (kind, ref), _ in chunk if kind == TOKEN]
        user_ids = sorted({uid for _, uid in chunk} - {None})
        for kind, ref, at, text, a, b, c in _read(keys, ids, user_ids):
            if kind == "s":
                session_rows[ref] = (text, aware(at))
            elif kind == "t":
                token_rows[int(ref)] = (aware(at), bool(a))
            else:
                users[int(ref)] = _UserRow(password=text or "", active=bool(a), has_agency=bool(b), service=int(c))
    now = timezone.now()
    judged = {}
    for (kind, ref), uid in owners.items():
        if kind == SESSION:
            judged[(kind, ref)] = _session_standing(session_rows.get(ref), uid, users.get(uid), now)
        else:
            judged[(kind, ref)] = _token_standing(token_rows.get(ref), users.get(uid), now)
    return {credential: judged[_normal(credential)] for credential in held}


def _normal(credential: Credential) -> Credential:
    kind, ref = credential
    if kind == SESSION:
        return kind, str(ref)
    if kind == TOKEN:
        return kind, int(ref)
    raise ValueError(f"not a credential: {credential!r}")


def _session_standing(row, user_id, user: _UserRow | None, now) -> Standing:
    if row is None:
        return Standing(sessions.ENDED)
    data = sessions.SessionStore().decode(row[0])
    why = sessions.ended_reason(data, row[1], now)
    if why is not None:
        return Standing(why)
    if user_pk(data.get(SESSION_KEY)) != user_id or data.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return Standing(sessions.ENDED)
    if user is None or not user.active:
        return Standing(DEACTIVATED)
    if user.service:
        return Standing(sessions.ENDED)  # a service account never signs in by session
    if not _hash_matches(data.get(HASH_SESSION_KEY), user.password):
        return Standing(PASSWORD_CHANGED)
    if not user.has_agency:
        return Standing(NO_AGENCY)
    return Standing(None, sessions.live_until(data, row[1]))


def _hash_matches(session_hash, password: str) -> bool:
    # As django.contrib.auth.get_user checks it, SECRET_KEY_FALLBACKS included.
    if not session_hash:
        return False
    probe = User(password=password)
    return constant_time_compare(session_hash, probe.get_session_auth_hash()) or any(
        constant_time_compare(session_hash, fallback) for fallback in probe.get_session_auth_fallback_hash()
    )


def _token_standing(row, user: _UserRow | None, now) -> Standing:
    if row is None:
        return Standing(TOKEN_ENDED)
    expires_at, not_revoked = row
    if not not_revoked:
        return Standing(TOKEN_REVOKED)
    if expires_at is not None and expires_at <= now:
        return Standing(TOKEN_EXPIRED)
    if user is None or not user.active or user.service == 2:
        return Standing(DEACTIVATED)
    if not user.has_agency:
        return Standing(NO_AGENCY)
    return Standing(None, expires_at)


def _read(keys: list[str], token_ids: list[int], user_ids: list[int]):
    if not (keys or token_ids or user_ids):
        return []
    db = router.db_for_read(Session)
    connection = connections[db]
    statement = _statement(connection.vendor, bool(keys), bool(token_ids), bool(user_ids))
    sql = statement.format(keys=_marks(keys), tokens=_marks(token_ids), users=_marks(user_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys, *token_ids, *user_ids])
        return cursor.fetchall()


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


@cache
def _statement(vendor: str, with_sessions: bool, with_tokens: bool, with_users: bool) -> str:
    """Rows (kind, ref, a time, a text, three integers), one per session
    ('s': key, expire_date, data), token ('t': id, expires_at, not revoked)
    and user ('u': id, password, active, belongs to an agency, service
    account). Every NULL is typed, so the branches unite on every database."""
    connection = connections[router.db_for_read(Session)]

    def null(field) -> str:
        return f"CAST(NULL AS {field.db_type(connection)})"

    when, text, number = null(models.DateTimeField()), null(models.TextField()), null(models.IntegerField())
    ref = models.CharField(max_length=40).db_type(connection)
    session_t, token_t = Session._meta.db_table, ApiToken._meta.db_table
    user_t, membership_t, agency_t = User._meta.db_table, Membership._meta.db_table, Agency._meta.db_table
    parts = []
    if with_sessions:
        parts.append(f"""SELECT 's', s."session_key", s."expire_date", s."session_data", {number}, {number}, {number}
            FROM "{session_t}" s WHERE s."session_key" IN ({{keys}})""")
    if with_tokens:
        parts.append(f"""SELECT 't', CAST(t."id" AS {ref}), t."expires_at", {text},
            CASE WHEN t."revoked_at" IS NULL THEN 1 ELSE 0 END, {number}, {number}
            FROM "{token_t}" t WHERE t."id" IN ({{tokens}})""")
    if with_users:
        parts.append(f"""SELECT 'u', CAST(u."id" AS {ref}), {when}, u."password",
            CASE WHEN u."is_active" THEN 1 ELSE 0 END,
            CASE WHEN u."is_superuser" OR EXISTS (
                SELECT 1 FROM "{membership_t}" m JOIN "{agency_t}" a ON a."id" = m."agency_id"
                WHERE m."user_id" = u."id" AND m."ended_at" IS NULL AND a."active") THEN 1 ELSE 0 END,
            CASE WHEN u."service_agency_id" IS NULL THEN 0 WHEN sa."active" THEN 1 ELSE 2 END
            FROM "{user_t}" u LEFT JOIN "{agency_t}" sa ON sa."id" = u."service_agency_id"
            WHERE u."id" IN ({{users}})""")
    return " UNION ALL ".join(parts)
