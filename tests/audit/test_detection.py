"""verify / verify_audit against each way of cutting or rewriting the audit
log: both backends (the tampering bypasses the application and, on
PostgreSQL, the triggers, as a database superuser could)."""

import json
import secrets

import pytest
from django.core.management import CommandError, call_command

from casehub import audit
from casehub.audit_chain import canonical
from casehub.audit_checkpoints import append, write_checkpoint
from casehub.events import periodic
from casehub.models import AuditCheckpoint, AuditEntry

from .helpers import plain_sha256, tamper, write_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def mirror(settings, tmp_path, django_capture_on_commit_callbacks):
    """Checkpoints mirrored to a file; on_commit hooks run (the mirror is
    written only once the checkpoint is committed)."""
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")

    def checkpoint(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write_checkpoint(**kwargs)

    checkpoint.path = tmp_path / "checkpoints.jsonl"
    return checkpoint


def test_an_intact_chain_with_checkpoints_verifies(capsys):
    write_entries(3)
    first = write_checkpoint()
    write_entries(2)
    second = write_checkpoint()
    assert (first.first_seq, first.last_seq, first.count) == (1, 3, 3)
    assert (second.first_seq, second.last_seq, second.count, second.prev_signature) == (4, 5, 2, first.signature)
    write_entries(1)
    report = audit.verify_report()
    assert report.broken is None and report.head_seq == 6 and report.last_checkpoint == second
    assert report.unanchored == 1
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "intact: 6 entries" in out and f"checkpoint #{second.id}" in out and "1 newer entries" in out


def test_the_hash_is_keyed_and_the_key_is_not_in_the_database(settings):
    entry = write_entries(1)[0]
    checkpoint = write_checkpoint()
    assert entry.hash != plain_sha256(entry) and entry.key_id
    stored = json.dumps([list(AuditEntry.objects.values_list()), list(AuditCheckpoint.objects.values_list())],
                        default=str)
    assert settings.AUDIT_HMAC_KEY not in stored
    # The same fields under another key give another hash.
    settings.AUDIT_HMAC_KEY = secrets.token_urlsafe(48)
    assert audit.verify().problem.startswith(f"checkpoint #{checkpoint.id} of ")
    assert "unknown key" in audit.verify().problem


def test_an_altered_entry_is_named():
    write_entries(5)
    tamper("UPDATE casehub_auditentry SET result = 'allowed', action = 'case.create' WHERE seq = 3")
    broken = audit.verify()
    assert broken.seq == 3 and broken.problem == "entry 3 was altered (its HMAC does not match)"
    with pytest.raises(CommandError, match="broken at entry 3: entry 3 was altered"):
        call_command("verify_audit")


def test_a_deleted_entry_is_named():
    write_entries(5)
    write_checkpoint()
    tamper("DELETE FROM casehub_auditentry WHERE seq = 2")
    broken = audit.verify()
    assert broken.seq == 2 and broken.problem == "entry 2 is missing (next present is 3)"


def test_a_removed_tail_contradicts_the_checkpoint():
    write_entries(5)
    checkpoint = write_checkpoint()
    tamper("DELETE FROM casehub_auditentry WHERE seq >= 4")
    broken = audit.verify()
    assert broken.seq == 4 and broken.checkpoint == checkpoint.id
    assert broken.problem.startswith(f"entries 4–5 were removed: checkpoint #{checkpoint.id} of ")
    assert broken.problem.endswith("recorded entry 5 as the head, the log ends at entry 3")
    with pytest.raises(CommandError, match=f"broken at entry 4 \\(checkpoint #{checkpoint.id}\\): entries 4–5"):
        call_command("verify_audit")


def test_emptying_the_log_contradicts_the_checkpoint():
    write_entries(3)
    write_checkpoint()
    tamper("DELETE FROM casehub_auditentry")
    assert audit.verify().problem.startswith("entries 1–3 were removed")


def test_a_forged_last_entry_with_a_recomputed_hash_is_caught():
    # No checkpoint needed: without the key the forger's hash is wrong.
    write_entries(4)
    forged = AuditEntry.objects.get(seq=4)
    forged.result = "allowed"
    forged.object_id = "999"
    tamper("UPDATE casehub_auditentry SET result = 'allowed', object_id = '999', hash = %s WHERE seq = 4",
           [plain_sha256(forged)])
    assert audit.verify() == audit.ChainBreak(4, "entry 4 was altered (its HMAC does not match)")


def test_a_last_entry_signed_with_another_key_is_caught():
    write_entries(3)
    forged = AuditEntry.objects.get(seq=3)
    forged.action = "case.create"
    # The forger keeps the real key id but has to sign with a key of his own.
    import hmac

    fake = hmac.new(b"a key of my own", forged.canonical(), "sha256").hexdigest()
    tamper("UPDATE casehub_auditentry SET action = 'case.create', hash = %s WHERE seq = 3", [fake])
    assert audit.verify().problem == "entry 3 was altered (its HMAC does not match)"
    # ... or names a key of his own.
    tamper("UPDATE casehub_auditentry SET key_id = 'f0f0f0f0f0f0' WHERE seq = 3")
    assert audit.verify().problem.startswith("entry 3 is signed with an unknown key (id 'f0f0f0f0f0f0')")


def test_a_replaced_checkpointed_entry_is_caught_even_with_the_key():
    # Someone with the key (but no UPDATE right on checkpoints) deletes the
    # newest entries and writes new ones: the checkpoint still names the old head.
    write_entries(4)
    checkpoint = write_checkpoint()
    tamper("DELETE FROM casehub_auditentry WHERE seq >= 3")
    write_entries(2, action="case.update")
    broken = audit.verify()
    assert broken.seq == 4 and broken.checkpoint == checkpoint.id
    assert broken.problem == f"entry 4 is not the one {audit_checkpoint_name(checkpoint)} recorded: it was replaced"


def audit_checkpoint_name(checkpoint):
    from casehub.audit_checkpoints import _name

    return _name(checkpoint)


def test_a_forged_checkpoint_is_caught():
    write_entries(5)
    write_checkpoint()
    # A checkpoint claiming a shorter log, to excuse a removed tail: without the key.
    real = AuditCheckpoint.objects.get()
    forged = AuditCheckpoint.objects.create(kind="checkpoint", first_seq=6, last_seq=3, last_hash=real.last_hash,
                                            count=0, prev_signature=real.signature, key_id=real.key_id,
                                            signature="0" * 64)
    broken = audit.verify()
    assert broken.checkpoint == forged.id
    assert broken.problem.startswith(f"checkpoint #{forged.id} of ")
    assert broken.problem.endswith("is forged or altered (its signature does not match)")


def test_an_altered_checkpoint_is_caught():
    write_entries(5)
    checkpoint = write_checkpoint()
    tamper("UPDATE casehub_auditcheckpoint SET last_seq = 3, count = 3 WHERE id = %s", [checkpoint.id])
    assert audit.verify().problem.endswith("is forged or altered (its signature does not match)")


def test_a_removed_checkpoint_breaks_the_checkpoints_chain():
    write_entries(2)
    first = write_checkpoint()
    write_entries(2)
    second = write_checkpoint()
    write_entries(2)
    third = write_checkpoint()
    tamper("DELETE FROM casehub_auditcheckpoint WHERE id = %s", [second.id])
    broken = audit.verify()
    assert broken.checkpoint == third.id
    assert broken.problem == (f"{audit_checkpoint_name(third)} does not follow {audit_checkpoint_name(first)}: "
                              f"a checkpoint between them was removed")


def test_a_checkpoint_that_goes_back_is_caught():
    write_entries(4)
    write_checkpoint()
    # Signed with the key, but claiming an older head than the one before.
    back = append(AuditCheckpoint.KIND_CHECKPOINT, first_seq=5, last_seq=2,
                  last_hash=AuditEntry.objects.get(seq=2).hash, count=0)
    assert audit.verify().problem == f"{audit_checkpoint_name(back)} goes back from entry 4 to entry 2"


def test_the_mirror_file_catches_checkpoints_removed_with_the_tail(mirror):
    write_entries(3)
    mirror()
    write_entries(3)
    newest = mirror()
    lines = mirror.path.read_text().splitlines()
    assert [json.loads(line)["signature"] for line in lines] == list(
        AuditCheckpoint.objects.order_by("id").values_list("signature", flat=True))
    # A superuser removes the tail and the checkpoint that anchored it.
    tamper("DELETE FROM casehub_auditentry WHERE seq >= 5")
    tamper("DELETE FROM casehub_auditcheckpoint WHERE id = %s", [newest.id])
    broken = audit.verify()
    assert broken.seq == 5
    assert broken.problem.startswith(f"entries 5–6 were removed: checkpoint #{newest.id} of ")
    assert f"(line 2 of {mirror.path}, missing from the database)" in broken.problem


def test_the_mirror_file_names_a_checkpoint_missing_from_the_database(mirror):
    write_entries(3)
    mirror()
    newest = mirror(force=True)
    tamper("DELETE FROM casehub_auditcheckpoint WHERE id = %s", [newest.id])
    broken = audit.verify()
    assert broken.problem.endswith(f"(line 2 of {mirror.path}, missing from the database): checkpoints were removed")


def test_an_altered_mirror_line_is_caught(mirror):
    write_entries(2)
    mirror()
    line = json.loads(mirror.path.read_text())
    line["last_seq"] = 1
    mirror.path.write_text(json.dumps(line) + "\n")
    assert audit.verify().problem == (f"line 1 of {mirror.path} is not a checkpoint signed with a known key: "
                                      f"the file was altered")


def test_a_missing_mirror_file_is_a_warning(settings, tmp_path, capsys):
    write_entries(1)
    write_checkpoint()
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "nowhere.jsonl")
    assert audit.verify() is None
    call_command("verify_audit")
    assert "does not exist" in capsys.readouterr().err


def test_the_keys_rotate(settings):
    old = settings.AUDIT_HMAC_KEY
    write_entries(2)
    write_checkpoint()
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_OLD_KEYS = secrets.token_urlsafe(48), [old]
    write_entries(2)
    write_checkpoint()
    ids = list(AuditEntry.objects.order_by("seq").values_list("key_id", flat=True))
    assert ids[0] == ids[1] != ids[2] == ids[3]
    assert audit.verify() is None
    # Forgetting the retired key leaves what it signed unverifiable.
    settings.AUDIT_HMAC_OLD_KEYS = []
    assert "unknown key" in audit.verify().problem


def test_the_worker_checkpoints_the_head_when_it_moved():
    write_entries(2)
    results = periodic.run_all()
    checkpoint = AuditCheckpoint.objects.get()
    assert results["audit_checkpoint"] == checkpoint.id and checkpoint.last_seq == 2
    assert periodic.run_all()["audit_checkpoint"] is None  # nothing new
    write_entries(1)
    periodic.run_all()
    assert list(AuditCheckpoint.objects.values_list("last_seq", flat=True)) == [2, 3]


def test_audit_checkpoint_command(capsys):
    call_command("audit_checkpoint")
    assert "no checkpoint written" in capsys.readouterr().out
    write_entries(3)
    call_command("audit_checkpoint")
    checkpoint = AuditCheckpoint.objects.get()
    assert f"checkpoint #{checkpoint.id} " in capsys.readouterr().out
    call_command("audit_checkpoint", "--force")
    assert AuditCheckpoint.objects.count() == 2 and audit.verify() is None


def test_checkpoints_are_append_only_in_the_application():
    write_entries(1)
    checkpoint = write_checkpoint()
    checkpoint.last_seq = 0
    with pytest.raises(RuntimeError):
        checkpoint.save()
    with pytest.raises(RuntimeError):
        checkpoint.delete()


def test_the_signed_encoding_is_stable():
    # An archive or the mirror file must verify on another machine and
    # release: the canonical form is plain sorted compact JSON.
    assert canonical([1, {"b": 2, "a": "几"}, None]) == '[1,{"a":"几","b":2},null]'.encode()


def test_an_ipv6_address_is_signed_as_the_database_keeps_it(rf):
    # PostgreSQL's inet gives IPv6 back in its short lower-case form.
    audit.record(user=None, action="case.read", object_type="case", request=rf.get("/", REMOTE_ADDR="2001:0DB8::0001"))
    assert AuditEntry.objects.get().ip_address == "2001:db8::1"
    assert audit.verify() is None
