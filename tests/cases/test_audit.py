import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from casehub import audit
from casehub.models import AuditEntry, CustodyEvent, EvidenceFile, TimelineEvent
from tests.factories import Office, make_case

pytestmark = pytest.mark.django_db


def write_entries(n=5):
    for i in range(n):
        audit.record(user=None, action="case.read", object_type="case", object_id=i)


def tamper(sql, params):
    """What a DBA with table access could do, bypassing the application (and,
    on PostgreSQL, the trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # a superuser skipping triggers
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


def test_chain_links_each_entry_to_the_previous():
    write_entries(3)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert audit.verify() is None


def test_verify_audit_reports_an_intact_chain(capsys):
    write_entries(4)
    call_command("verify_audit")
    assert "4 entries" in capsys.readouterr().out


def test_altered_entry_is_named():
    write_entries(5)
    tamper("UPDATE casehub_auditentry SET result = 'allowed', action = 'case.create' WHERE seq = 3", [])
    broken = audit.verify()
    assert broken.seq == 3 and "altered" in broken.problem
    with pytest.raises(CommandError, match="entry 3"):
        call_command("verify_audit")


def test_deleted_entry_is_named():
    write_entries(5)
    tamper("DELETE FROM casehub_auditentry WHERE seq = 2", [])
    broken = audit.verify()
    assert broken.seq == 2 and "missing" in broken.problem


def test_a_resigned_middle_entry_breaks_the_next_link():
    write_entries(4)
    # Even a forger holding the key, who rewrites entry 2 and re-signs it, breaks
    # entry 3's link (tests/audit/ has the removed tail and the forger without the key).
    entry = AuditEntry.objects.get(seq=2)
    entry.object_id = "999"
    forged = entry.compute_hash()
    tamper("UPDATE casehub_auditentry SET object_id = '999', hash = %s WHERE seq = 2", [forged])
    assert audit.verify().seq == 3


def test_application_never_updates_or_deletes():
    write_entries(1)
    entry = AuditEntry.objects.get()
    entry.action = "changed"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_database_refuses_changes_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    write_entries(2)
    office = Office()
    case = make_case(office)
    evidence = EvidenceFile.objects.create(case=case, name="a.pdf", file="evidence/x", kind="pdf",
                                           content_type="application/pdf", size=1, sha256="0" * 64,
                                           uploaded_by=office.officer, agency=office.agency)
    CustodyEvent.objects.create(file=evidence, action="uploaded", actor=office.officer)
    for statement in ("UPDATE casehub_auditentry SET action = 'x'", "DELETE FROM casehub_auditentry",
                      "UPDATE casehub_timelineevent SET summary = 'x'", "DELETE FROM casehub_timelineevent",
                      "UPDATE casehub_custodyevent SET action = 'x'", "DELETE FROM casehub_custodyevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEntry.objects.count() >= 2 and TimelineEvent.objects.exists() and CustodyEvent.objects.exists()
