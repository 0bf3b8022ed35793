"""The application's PostgreSQL role: it owns nothing and holds only the DML
it needs.

Migrations run as the owner role, which owns every table (and so alone may
alter them or their triggers). The web server and the worker connect as an
application role that may read and write ordinary tables but only read and
insert into the append-only ones (audit entries, audit checkpoints, timeline,
chain of custody): no UPDATE, DELETE or TRUNCATE there, and, owning nothing and
being no superuser, it cannot drop or disable a trigger or set
session_replication_role. A stolen application password can add lies to the
audit log, never erase it. `manage.py grant_app_role ROLE` (re)applies this
after every migration; deploy/postgres-init/ creates the roles.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.db import connection

from .models.timeline import AppendOnly

_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# Tables the application reads but never writes.
READ_ONLY = ["django_migrations"]
APPEND_ONLY_FUNCTIONS = ("casehub_refuse_change", "casehub_audit_guard")


class RoleRefused(Exception):
    pass


def append_only_tables(cursor) -> list[str]:
    """The AppendOnly models' tables, and any table whose rows a trigger keeps."""
    tables = {model._meta.db_table for model in apps.get_models() if issubclass(model, AppendOnly)}
    cursor.execute(
        "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = ANY(%s) AND c.relnamespace = current_schema()::regnamespace",
        [list(APPEND_ONLY_FUNCTIONS)],
    )
    tables |= {row[0] for row in cursor.fetchall()}
    return sorted(tables)


def _check_role(cursor, role: str) -> None:
    cursor.execute("SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls "
                   "FROM pg_roles WHERE rolname = %s", [role])
    flags = cursor.fetchone()
    if flags is None:
        raise RoleRefused(f"role {role} does not exist (deploy/postgres-init/ creates it)")
    if any(flags):
        raise RoleRefused(f"role {role} must be NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS")
    cursor.execute("SELECT current_user, pg_has_role(%s, current_user, 'MEMBER')", [role])
    current, member = cursor.fetchone()
    if role == current or member:
        raise RoleRefused(f"role {role} must not be (or be a member of) {current}, the role that migrates")
    cursor.execute("SELECT count(*) FROM pg_class WHERE relowner = %s::regrole", [role])
    owned = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspowner = %s::regrole", [role])
    owned += cursor.fetchone()[0]
    if owned:
        raise RoleRefused(f"role {role} owns {owned} tables, sequences or schemas: it must own nothing "
                          f"(were the migrations run as it?)")


def grant_app_role(role: str) -> list[str]:
    """(Re)apply the application role's privileges; the append-only tables it
    may only read and insert into. Returns those tables."""
    if not _NAME.fullmatch(role):
        raise RoleRefused(f"{role!r} is not a plain role name")
    with connection.cursor() as cursor:
        _check_role(cursor, role)
        append_only = append_only_tables(cursor)
        quote = connection.ops.quote_name
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = (quote(name) for name in cursor.fetchone())
        statements = [
            f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}",
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            *(f"REVOKE UPDATE, DELETE ON {quote(table)} FROM {role}" for table in append_only),
            *(f"REVOKE INSERT, UPDATE, DELETE ON {quote(table)} FROM {role}" for table in READ_ONLY),
        ]
        for statement in statements:
            cursor.execute(statement)
        # What the role may do in the end, PUBLIC's grants included.
        for table in append_only:
            for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
                cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
                if cursor.fetchone()[0]:
                    raise RoleRefused(f"role {role} still holds {privilege} on {table} (granted to PUBLIC?)")
    return append_only
