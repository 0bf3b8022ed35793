"""PostgreSQL: TRUNCATE refused on the append-only tables, and the
application's role (grant_app_role) unable to change, remove or unprotect the
audit log while it can still write it. CI's PostgreSQL has a superuser
(postgres) with trust authentication on loopback: the tests create roles."""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from casehub import audit
from casehub.audit_chain import signing_key_id
from casehub.models import AuditEntry
from casehub.settings.env import KNOWN_VARIABLES
from tests.factories import Office, make_case

from .helpers import write_entries

ROOT = Path(__file__).resolve().parents[2]
APPEND_ONLY = ["casehub_auditentry", "casehub_auditcheckpoint", "casehub_timelineevent", "casehub_custodyevent"]


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("database roles and triggers are PostgreSQL's")


def _connect(role, dbname=None):
    settings = connection.settings_dict
    return psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                           dbname=dbname or settings["NAME"], user=role, autocommit=True)


@pytest.mark.django_db
@pytest.mark.parametrize("table", APPEND_ONLY)
def test_truncate_is_refused_even_for_the_owner(table):
    write_entries(1)
    make_case(Office())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        # The rows above are this transaction's: their deferred foreign-key checks first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEntry.objects.exists()


@pytest.fixture
def app_role(django_db_blocker):
    """A role like compose's casehub_app, granted by the real command."""
    role = f"casehub_test_app_{secrets.token_hex(4)}"
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOINHERIT")
    yield role
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {role}")
        cursor.execute(f"DROP ROLE {role}")


@pytest.mark.django_db(transaction=True)
def test_the_app_role_can_append_but_not_change_remove_or_unprotect(app_role, capsys):
    write_entries(2)
    office = Office()
    make_case(office)
    call_command("grant_app_role", app_role)
    before = AuditEntry.objects.count()
    assert "read and insert only on casehub_auditcheckpoint, casehub_auditentry, casehub_custodyevent, " \
           "casehub_timelineevent" in capsys.readouterr().out

    refused = [
        *(f"UPDATE {table} SET id = id" for table in APPEND_ONLY),
        *(f"DELETE FROM {table}" for table in APPEND_ONLY),
        *(f"TRUNCATE {table}" for table in APPEND_ONLY),
        "ALTER TABLE casehub_auditentry DISABLE TRIGGER ALL",
        "ALTER TABLE casehub_auditentry DISABLE TRIGGER casehub_auditentry_append_only",
        "DROP TRIGGER casehub_auditentry_append_only ON casehub_auditentry",
        "ALTER TABLE casehub_auditcheckpoint DISABLE TRIGGER USER",
        "SET session_replication_role = replica",
        "CREATE TABLE casehub_shadow (id int)",
        "INSERT INTO django_migrations (app, name, applied) VALUES ('casehub', 'x', now())",
        "CREATE TRIGGER sneaky BEFORE INSERT ON casehub_auditentry FOR EACH ROW EXECUTE FUNCTION casehub_refuse_change()",
    ]
    with _connect(app_role) as app:
        for statement in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)

        # What the application does: append an entry the way record() does, under the lock.
        last = AuditEntry.objects.order_by("-seq").first()
        entry = AuditEntry(seq=last.seq + 1, at=last.at, action="case.read", object_type="case", object_id="7",
                           result="allowed", detail={}, prev_hash=last.hash, key_id=signing_key_id())
        entry.hash = entry.compute_hash()
        with app.transaction():
            app.execute("SELECT pg_advisory_xact_lock(%s)", [0x63617365])
            app.execute("INSERT INTO casehub_auditentry (seq, at, action, object_type, object_id, result, detail, "
                        "prev_hash, hash, key_id) VALUES (%s, %s, %s, %s, %s, %s, '{}', %s, %s, %s)",
                        [entry.seq, entry.at, entry.action, entry.object_type, entry.object_id, entry.result,
                         entry.prev_hash, entry.hash, entry.key_id])
        with app.transaction(force_rollback=True):
            app.execute("INSERT INTO casehub_auditcheckpoint (kind, at, first_seq, last_seq, last_hash, count, detail, "
                        "prev_signature, key_id, signature) VALUES ('checkpoint', now(), 1, 1, '', 0, '{}', '', '', '')")
        # Ordinary tables keep their full DML.
        assert app.execute("UPDATE casehub_case SET title = title").rowcount == 1
        assert app.execute("SELECT count(*) FROM casehub_auditentry").fetchone()[0] == before + 1
    assert audit.verify() is None and AuditEntry.objects.count() == before + 1


@pytest.mark.django_db
def test_grant_app_role_refuses_a_role_that_could_unprotect():
    with pytest.raises(CommandError, match="does not exist"):
        call_command("grant_app_role", "casehub_test_not_there")
    with pytest.raises(CommandError, match="must be NOSUPERUSER"):
        call_command("grant_app_role", "postgres")
    with pytest.raises(CommandError, match="not a plain role name"):
        call_command("grant_app_role", 'x"; DROP TABLE casehub_case; --')
    role = f"casehub_test_owner_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute("CREATE TABLE casehub_test_owned (id int)")
        cursor.execute(f"ALTER TABLE casehub_test_owned OWNER TO {role}")
    with pytest.raises(CommandError, match="owns 1 tables, sequences or schemas: it must own nothing"):
        call_command("grant_app_role", role)


def _env(url):
    clean = {k: v for k, v in os.environ.items() if k not in KNOWN_VARIABLES}
    return {**clean, "DJANGO_SETTINGS_MODULE": "casehub.settings", "DEBUG": "0", "DATABASE_URL": url}


def _manage(url, *args, code=None):
    argv = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(argv, cwd=ROOT, env=_env(url), capture_output=True, text=True, timeout=300)


@pytest.mark.django_db
def test_the_compose_roles_end_to_end(django_db_blocker, tmp_path):
    """deploy/postgres-init's script, migrations as the owner, grant_app_role,
    then the application as its role: it writes, checkpoints and verifies the
    audit log; it cannot archive (remove) entries."""
    if shutil.which("psql") is None:
        pytest.skip("needs psql")
    suffix = secrets.token_hex(4)
    database, owner, app = f"casehub_roles_{suffix}", f"casehub_owner_{suffix}", f"casehub_app_{suffix}"
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", str(settings["PORT"] or 5432)
    with django_db_blocker.unblock(), _connect(settings["USER"], "postgres") as admin:
        admin.execute(f"CREATE DATABASE {database}")
        try:
            script = subprocess.run(
                ["sh", str(ROOT / "deploy" / "postgres-init" / "10-casehub-roles.sh")], capture_output=True, text=True,
                env={**os.environ, "PGHOST": host, "PGPORT": port, "POSTGRES_USER": settings["USER"],
                     "POSTGRES_DB": database, "CASEHUB_DB_OWNER": owner, "CASEHUB_DB_APP": app,
                     "CASEHUB_DB_OWNER_PASSWORD": "owner-pw", "CASEHUB_DB_APP_PASSWORD": "app-pw"})
            assert script.returncode == 0, script.stderr
            as_owner, as_app = (f"postgres://{role}@{host}:{port}/{database}" for role in (owner, app))
            for step in (("migrate", "--noinput"), ("grant_app_role", app)):
                result = _manage(as_owner, *step)
                assert result.returncode == 0, result.stdout + result.stderr
            assert _manage(as_owner, "grant_app_role", app).returncode == 0  # again, after the next migrate

            result = _manage(as_app, code=(
                "import django; django.setup(); from casehub import audit; "
                "from casehub.audit_checkpoints import write_checkpoint; "
                "[audit.record(user=None, action='case.read', object_type='case', object_id=i) for i in range(3)]; "
                "print(write_checkpoint().last_seq)"))
            assert result.returncode == 0 and result.stdout.strip() == "3", result.stderr
            result = _manage(as_app, "verify_audit")
            assert result.returncode == 0 and "intact: 3 entries" in result.stdout, result.stderr
            result = _manage(as_app, "audit_archive", "--before", "2020-01-01", "--out", str(tmp_path / "a.jsonl"))
            assert result.returncode != 0 and "may not remove audit entries" in result.stderr
            assert not (tmp_path / "a.jsonl").exists()
            # The app role owns nothing; the owner owns every table.
            with _connect(settings["USER"], database) as check:
                owners = {row[0] for row in check.execute(
                    "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")}
                assert owners == {owner}
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            for role in (app, owner):
                admin.execute(f"DROP ROLE IF EXISTS {role}")
