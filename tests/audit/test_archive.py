"""Retention and archives: entries past the retention period leave the
database only through a signed, verified archive and an anchor the chain
continues from; never silently, never early."""

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from casehub import audit
from casehub.audit_archive import ArchiveRefused, archive, verify_archive
from casehub.audit_checkpoints import write_checkpoint
from casehub.models import AuditCheckpoint, AuditEntry

from .helpers import days_ago, tamper, write_entries

pytestmark = pytest.mark.django_db


def before_day(days):
    """The --before argument for `days` ago, as the command takes it."""
    return (timezone.localdate() - timedelta(days=days)).isoformat()


@pytest.fixture
def old_and_new():
    """Five entries 400 days old, a checkpoint then, three 300 days old, a
    checkpoint, and two of today."""
    with days_ago(400):
        write_entries(5)
        write_checkpoint()
    with days_ago(300):
        write_entries(3)
        write_checkpoint()
    write_entries(2)


def test_archive_exports_verifies_removes_and_the_chain_continues(old_and_new, tmp_path, capsys):
    out = tmp_path / "audit-1.jsonl"
    hashes = dict(AuditEntry.objects.values_list("seq", "hash"))
    call_command("audit_archive", "--before", before_day(350), "--out", str(out))
    anchor = AuditCheckpoint.objects.get(kind="archive")
    assert f"archived entries 1–5 (5) to {out}" in capsys.readouterr().out
    assert (anchor.first_seq, anchor.last_seq, anchor.count, anchor.last_hash) == (1, 5, 5, hashes[5])
    # Exactly those entries left the database.
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == [6, 7, 8, 9, 10]

    lines = out.read_text().splitlines()
    entries, manifest = [json.loads(line) for line in lines[:-1]], json.loads(lines[-1])["manifest"]
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5] and [e["hash"] for e in entries] == [hashes[i] for i in range(1, 6)]
    assert {k: manifest[k] for k in ("first_seq", "last_seq", "count", "first_prev_hash", "last_hash")} == {
        "first_seq": 1, "last_seq": 5, "count": 5, "first_prev_hash": audit.GENESIS, "last_hash": hashes[5]}
    assert manifest["signature"] == anchor.detail["manifest_signature"]

    # verify starts from the archive's last hash instead of genesis.
    report = audit.verify_report()
    assert report.broken is None and report.archived_to == 5 and report.entries == 5
    audit.record(user=None, action="case.read", object_type="case", object_id="x")
    assert AuditEntry.objects.order_by("-seq").first().seq == 11 and audit.verify() is None
    call_command("verify_audit", "--archive", str(out))
    text = capsys.readouterr().out
    assert f"archive {out} intact: entries 1–5 (5), recorded by archive #{anchor.id}" in text
    assert "intact: 6 entries (entries 6–11); entries up to 5 archived" in text


def test_a_second_archive_continues_the_first(old_and_new, tmp_path):
    archive(before=timezone.now() - timedelta(days=350), out=tmp_path / "a.jsonl")
    second = archive(before=timezone.now() - timedelta(days=200), out=tmp_path / "b.jsonl")
    assert (second.first_seq, second.last_seq) == (6, 8)
    manifest = verify_archive(tmp_path / "b.jsonl").manifest
    assert manifest["first_prev_hash"] == AuditCheckpoint.objects.get(kind="archive", last_seq=5).last_hash
    assert audit.verify_report().archived_to == 8 and audit.verify() is None


def test_entries_inside_the_retention_period_are_refused(old_and_new, tmp_path, settings):
    with pytest.raises(CommandError, match="entries stay online for 180 days"):
        call_command("audit_archive", "--before", before_day(170), "--out", str(tmp_path / "a.jsonl"))
    settings.AUDIT_RETENTION_DAYS = 365
    with pytest.raises(CommandError, match="entries stay online for 365 days"):
        call_command("audit_archive", "--before", before_day(350), "--out", str(tmp_path / "a.jsonl"))
    # A setting below the legal minimum is not honoured here either.
    settings.AUDIT_RETENTION_DAYS = 30
    with pytest.raises(ArchiveRefused, match="180 days"):
        archive(before=timezone.now() - timedelta(days=100), out=tmp_path / "a.jsonl")
    assert AuditEntry.objects.count() == 10 and not (tmp_path / "a.jsonl").exists()


def test_the_newest_entry_always_stays_online(tmp_path):
    with days_ago(400):
        write_entries(3)
    anchor = archive(before=timezone.now() - timedelta(days=200), out=tmp_path / "a.jsonl")
    assert anchor.last_seq == 2 and list(AuditEntry.objects.values_list("seq", flat=True)) == [3]
    with pytest.raises(ArchiveRefused, match="no entry before"):
        archive(before=timezone.now() - timedelta(days=200), out=tmp_path / "b.jsonl")
    assert audit.verify() is None


def test_an_existing_file_is_never_overwritten(old_and_new, tmp_path):
    out = tmp_path / "a.jsonl"
    out.write_text("kept")
    with pytest.raises(CommandError, match="exists: an archive is never overwritten"):
        call_command("audit_archive", "--before", before_day(350), "--out", str(out))
    assert out.read_text() == "kept" and AuditEntry.objects.count() == 10


def test_a_broken_chain_is_not_archived(old_and_new, tmp_path):
    tamper("UPDATE casehub_auditentry SET action = 'x' WHERE seq = 2")
    with pytest.raises(ArchiveRefused, match="broken at entry 2"):
        archive(before=timezone.now() - timedelta(days=350), out=tmp_path / "a.jsonl")
    assert AuditEntry.objects.count() == 10 and not AuditCheckpoint.objects.filter(kind="archive").exists()


def _alter_entry(lines):
    lines[1] = lines[1].replace('"case.read"', '"case.create"')


def _drop_entry(lines):
    del lines[1]


def _alter_manifest(lines):
    lines[-1] = lines[-1].replace('"count":5', '"count":4')


@pytest.mark.parametrize("change,problem", [
    (_alter_entry, "line 2 (entry 2) is altered, missing or out of order"),
    (_drop_entry, "line 2 (entry 2) is altered, missing or out of order"),
    (_alter_manifest, "its manifest was altered"),
])
def test_an_altered_archive_is_caught(old_and_new, tmp_path, change, problem):
    out = tmp_path / "a.jsonl"
    archive(before=timezone.now() - timedelta(days=350), out=out)
    lines = out.read_text().splitlines(keepends=True)
    change(lines)
    out.write_text("".join(lines))
    assert verify_archive(out).problem.startswith(problem)
    with pytest.raises(CommandError, match=f"archive {out} is not intact"):
        call_command("verify_audit", "--archive", str(out))


def test_an_archive_the_database_does_not_know_is_reported(old_and_new, tmp_path):
    out = tmp_path / "a.jsonl"
    anchor = archive(before=timezone.now() - timedelta(days=350), out=out)
    tamper("DELETE FROM casehub_auditcheckpoint WHERE id = %s", [anchor.id])
    with pytest.raises(CommandError, match="no archive anchor in the database records this archive"):
        call_command("verify_audit", "--archive", str(out))
    # And the online chain now starts at entry 6 with nothing to continue from.
    assert audit.verify().problem == "entry 1 is missing (next present is 6)"


def test_an_entry_put_back_below_the_archive_is_caught(old_and_new, tmp_path):
    out = tmp_path / "a.jsonl"
    anchor = archive(before=timezone.now() - timedelta(days=350), out=out)
    line = json.loads(out.read_text().splitlines()[2])
    tamper("INSERT INTO casehub_auditentry (seq, at, user_id, agency_id, owner_agency_id, ip_address, action, "
           "object_type, object_id, result, detail, prev_hash, hash, key_id) VALUES (%s, %s, NULL, NULL, NULL, NULL, "
           "%s, %s, %s, %s, '{}', %s, %s, %s)",
           [line["seq"], line["at"], "case.read", "case", line["object_id"], line["result"], line["prev_hash"],
            line["hash"], line["key_id"]])
    broken = audit.verify()
    assert broken.seq == 3 and broken.checkpoint == anchor.id and "inserted afterwards" in broken.problem


def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")


def test_the_database_lets_only_archived_old_entries_go():
    _postgresql()
    with days_ago(400):
        write_entries(3)
    write_entries(2)

    def delete(seq):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM casehub_auditentry WHERE seq = %s", [seq])

    # Old, but no archive anchor covers it (even for the owner role).
    with pytest.raises(DatabaseError, match="append-only"):
        delete(1)
    # An anchor covering everything (as a forger with the key might write): the young entries still stay.
    write_checkpoint()
    from casehub.audit_checkpoints import append

    with transaction.atomic():
        append(AuditCheckpoint.KIND_ARCHIVE, first_seq=1, last_seq=5, last_hash="x", count=5)
    with pytest.raises(DatabaseError, match="append-only"):
        delete(5)
    delete(1)  # archived and past 180 days: what audit_archive does
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE casehub_auditentry SET action = 'x' WHERE seq = 2")
