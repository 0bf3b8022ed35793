"""Loading a signed-in user and their current memberships.

Every authenticated request needs both, before it does anything else. They
are read with one plain SQL statement (the user LEFT JOIN their current
memberships), not through the ORM: on the hottest paths, building and
compiling the querysets cost several times what the database does. A
browser's request can read its session row in the same statement
(sessions.py). Statements are built once from the models' metadata, so they
follow their columns.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import Agency, ApiToken, Membership, User

# (agency id, the agency's guardian group id, role)
MembershipRow = tuple[int, int, str]

# The agency's name comes along: every page's top bar names the user's agencies.
_MEMBERSHIP_COLUMNS = 'm."agency_id", a."group_id", m."role", a."active", a."name"'


@cache
def _tables() -> tuple[str, str, str]:
    return User._meta.db_table, Membership._meta.db_table, Agency._meta.db_table


@cache
def _user_columns() -> tuple[str, list[str]]:
    fields = User._meta.concrete_fields
    return ", ".join(f'u."{f.column}"' for f in fields), [f.attname for f in fields]


def _user_statement(lead_columns: str, source: str, where: str) -> str:
    """SELECT <lead columns>, <user columns>, <membership columns> FROM
    <source, which names the user table as u> LEFT JOIN the user's current
    memberships."""
    _, m, a = _tables()
    columns, _ = _user_columns()
    lead = f"{lead_columns}, " if lead_columns else ""
    return (
        f"SELECT {lead}{columns}, {_MEMBERSHIP_COLUMNS} FROM {source} "
        f'LEFT JOIN "{m}" m ON m."user_id" = u."id" AND m."ended_at" IS NULL '
        f'LEFT JOIN "{a}" a ON a."id" = m."agency_id" WHERE {where} ORDER BY m."agency_id", m."role"'
    )


@cache
def _user_alone() -> str:
    return _user_statement("", f'"{_tables()[0]}" u', 'u."id" = %s')


@cache
def _session_and_user(session_table: str) -> str:
    # Expired rows are read too: the caller tells an idle session from an
    # ended one (sessions.py), which the sign-in page says.
    return _user_statement('s."session_data", s."expire_date"',
                           f'"{session_table}" s LEFT JOIN "{_tables()[0]}" u ON u."id" = %s', 's."session_key" = %s')


@cache
def _memberships_alone() -> str:
    _, m, a = _tables()
    return (f'SELECT {_MEMBERSHIP_COLUMNS} FROM "{m}" m JOIN "{a}" a ON a."id" = m."agency_id" '
            f'WHERE m."user_id" = %s AND m."ended_at" IS NULL ORDER BY m."agency_id", m."role"')


_converter_cache: dict = {}


def _from_db(model, db: str, attnames: list[str], values) -> object:
    """A model instance from raw column values, passed through the converters
    the ORM would apply (SQLite hands back naive datetimes, for one)."""
    connection = connections[db]
    key = (model, connection.vendor)
    converters = _converter_cache.get(key)
    if converters is None:
        converters = []
        for field in model._meta.concrete_fields:
            column = field.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            converters.append((found, column))
        _converter_cache[key] = converters
    converted = list(values)
    for i, (found, column) in enumerate(converters):
        for convert in found:
            converted[i] = convert(converted[i], column, connection)
    return model.from_db(db, attnames, converted)


def _current(rows, user=None) -> list[MembershipRow]:
    # A membership counts while it has not ended and its agency is active.
    rows = [row for row in rows if row[0] is not None and row[3]]
    if user is not None:
        user._agency_names = {row[0]: row[4] for row in rows}
    return [(agency_id, group_id, role) for agency_id, group_id, role, _active, _name in rows]


def _user_from(rows, db: str, skip: int = 0) -> User | None:
    """The user (None if the join found none) from rows of a user statement
    whose first `skip` columns are something else."""
    _, attnames = _user_columns()
    if not rows or rows[0][skip] is None:
        return None
    end = skip + len(attnames)
    user = _from_db(User, db, attnames, rows[0][skip:end])
    user._current_memberships = _current([row[end:] for row in rows], user)
    return user


def user_pk(value):
    """A user id from a session or a token, or None if it is not one."""
    try:
        return User._meta.pk.to_python(value)
    except ValidationError:
        return None


def load_user(user_id) -> User | None:
    """The user (None if there is none), with their current memberships
    attached, in one statement."""
    user_id = user_pk(user_id)
    if user_id is None:
        return None
    db = router.db_for_read(User)
    with connections[db].cursor() as cursor:
        cursor.execute(_user_alone(), [user_id])
        return _user_from(cursor.fetchall(), db)


def load_session_and_user(session_table: str, session_key: str, user_id, db: str):
    """(session data, expiry, the user or None), or None without a row: a
    session row, live or expired, and in the same statement the user it is
    expected to belong to."""
    with connections[db].cursor() as cursor:
        cursor.execute(_session_and_user(session_table), [user_id, session_key])
        rows = cursor.fetchall()
    if not rows:
        return None
    return rows[0][0], aware(rows[0][1]), _user_from(rows, db, skip=2)


def aware(value) -> datetime | None:
    """A datetime column read with plain SQL, as the ORM gives it: SQLite
    hands back naive UTC (or text), PostgreSQL an aware value."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


@cache
def _token_and_user() -> tuple[str, list[str]]:
    fields = ApiToken._meta.concrete_fields
    u, _, a = _tables()
    lead = ", ".join(f't."{f.column}"' for f in fields) + ', sa."active"'
    source = (f'"{ApiToken._meta.db_table}" t JOIN "{u}" u ON u."id" = t."user_id" '
              f'LEFT JOIN "{a}" sa ON sa."id" = u."service_agency_id"')
    return _user_statement(lead, source, 't."prefix" = %s AND t."key_hash" = %s'), [f.attname for f in fields]


def load_token(prefix: str, key_hash: str):
    """(token, whether its user's service agency is active — None for a
    person) for a key, the token's user attached with their current
    memberships, in one statement; (None, None) for an unknown key."""
    statement, attnames = _token_and_user()
    db = router.db_for_read(ApiToken)
    with connections[db].cursor() as cursor:
        cursor.execute(statement, [prefix, key_hash])
        rows = cursor.fetchall()
    if not rows:
        return None, None
    n = len(attnames)
    token = _from_db(ApiToken, db, attnames, rows[0][:n])
    token.user = _user_from(rows, db, skip=n + 1)
    return token, rows[0][n]


def current_memberships(user) -> list[MembershipRow]:
    """The user's current memberships: those loaded with the user, or read
    now (once per user object)."""
    loaded = getattr(user, "_current_memberships", None)
    if loaded is None:
        with connections[router.db_for_read(Membership)].cursor() as cursor:
            cursor.execute(_memberships_alone(), [user.pk])
            loaded = user._current_memberships = _current(cursor.fetchall(), user)
    return loaded


def agency_names(user) -> dict[int, str]:
    """{agency id: name} of the user's current agencies, read with the
    memberships (no query of its own)."""
    current_memberships(user)
    return user._agency_names


def forget_memberships(user) -> None:
    user.__dict__.pop("_current_memberships", None)
    user.__dict__.pop("_agency_names", None)
