"""Moving old audit entries out of the database without breaking the chain.

Entries stay online for AUDIT_RETENTION_DAYS (at least 180). Older ones may be
exported to a signed archive — JSON lines, one entry each with exactly its
signed fields and hash, then a manifest line (format, first/last seq, the hash
before the first, the last hash, the count, the SHA-256 of the entry lines),
HMAC-signed with the audit key. The archive is written, read back from disk and
verified; only then, in one transaction, an archive anchor is appended to the
checkpoints and exactly those entries are deleted. On PostgreSQL the deletion
is possible only for the owner role (the application's role has no DELETE on
the table) and the trigger lets a row go only when an archive anchor covers it
and it is past 180 days. The chain then starts at the anchor's last hash.

Nothing is removed silently: never an entry inside the retention period, never
the newest entry (the head stays online), never without a verified archive.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from . import audit_checkpoints
from .audit_chain import GENESIS, UnknownKey, canonical, lock_chain, sign, signing_key_id
from .models import AuditCheckpoint, AuditEntry

FORMAT = "casehub-audit-archive/1"


class ArchiveRefused(Exception):
    pass


def retention_days() -> int:
    return max(settings.AUDIT_RETENTION_DAYS, settings.AUDIT_MIN_RETENTION_DAYS)


def _manifest_payload(manifest: dict) -> bytes:
    return canonical(["casehub audit archive", {k: v for k, v in manifest.items() if k != "signature"}])


def _line(values: dict) -> bytes:
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode() + b"\n"


def _may_delete() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(current_user, %s, 'DELETE')", [AuditEntry._meta.db_table])
        return cursor.fetchone()[0]


def archive(*, before: datetime, out: Path) -> AuditCheckpoint:
    """Archive the entries written before `before` (the contiguous run from
    the last archive on), then remove them. Raises ArchiveRefused."""
    from .audit import verify

    cutoff = timezone.now() - timedelta(days=retention_days())
    if before > cutoff:
        raise ArchiveRefused(f"entries stay online for {retention_days()} days: --before must be on or before "
                             f"{timezone.localtime(cutoff):%Y-%m-%d %H:%M}")
    out = Path(out)
    if out.exists():
        raise ArchiveRefused(f"{out} exists: an archive is never overwritten")
    if not _may_delete():
        raise ArchiveRefused("this database role may not remove audit entries: run audit_archive as the "
                             "owner role (docker compose run --rm migrate python manage.py audit_archive ...)")
    broken = verify()
    if broken is not None:
        raise ArchiveRefused(f"the audit chain is broken at entry {broken.seq} ({broken.problem}): nothing is "
                             f"archived")

    previous = AuditCheckpoint.objects.filter(kind=AuditCheckpoint.KIND_ARCHIVE).order_by("-id").first()
    first_seq, first_prev = (previous.last_seq + 1, previous.last_hash) if previous else (1, GENESIS)
    head = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    digest = hashlib.sha256()
    count, last_hash = 0, None
    partial = out.with_name(out.name + ".partial")
    try:
        file = open(partial, "xb")  # closed by the with below
    except FileExistsError:
        raise ArchiveRefused(f"{partial} exists (an earlier run stopped): remove it and retry")
    with file:
        # Never the head: the chain's newest entry always stays online.
        for entry in AuditEntry.objects.filter(seq__gte=first_seq, seq__lt=head).order_by("seq").iterator():
            if entry.at >= before:
                break
            line = _line({**entry.signed_values(), "hash": entry.hash})
            digest.update(line)
            file.write(line)
            count, last_hash = count + 1, entry.hash
        if count == 0:
            file.close()
            partial.unlink()
            raise ArchiveRefused(f"no entry before {timezone.localtime(before):%Y-%m-%d %H:%M} is left to archive")
        manifest = {
            "format": FORMAT, "first_seq": first_seq, "last_seq": first_seq + count - 1, "count": count,
            "first_prev_hash": first_prev, "last_hash": last_hash, "entries_sha256": digest.hexdigest(),
            "before": before.isoformat(), "created_at": timezone.now().isoformat(), "key_id": signing_key_id(),
        }
        manifest["signature"] = sign(manifest["key_id"], _manifest_payload(manifest))
        file.write(_line({"manifest": manifest}))
        file.flush()
        os.fsync(file.fileno())
    os.rename(partial, out)

    checked = verify_archive(out)
    if checked.problem:
        raise ArchiveRefused(f"the archive written to {out} does not verify ({checked.problem}): nothing is removed")
    retry = f"nothing is removed; {out} stays (remove it to retry)"

    try:
        with transaction.atomic():
            lock_chain()
            latest = AuditCheckpoint.objects.filter(kind=AuditCheckpoint.KIND_ARCHIVE).order_by("-id").first()
            if latest != previous:
                raise ArchiveRefused(f"another archive ran meanwhile: {retry}")
            anchor = audit_checkpoints.append(
                AuditCheckpoint.KIND_ARCHIVE, first_seq=manifest["first_seq"], last_seq=manifest["last_seq"],
                last_hash=last_hash, count=count,
                detail={"file": out.name, "first_prev_hash": first_prev, "entries_sha256": manifest["entries_sha256"],
                        "manifest_signature": manifest["signature"], "before": manifest["before"]})
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq >= %s AND seq <= %s",
                               [manifest["first_seq"], manifest["last_seq"]])
                removed = cursor.rowcount
            if removed != count:
                raise ArchiveRefused(f"{removed} entries matched instead of {count}: {retry}")
    except DatabaseError as exc:
        raise ArchiveRefused(f"the database refused the removal ({exc}): {retry}") from exc
    return anchor


@dataclass
class ArchiveCheck:
    problem: str | None = None
    manifest: dict = field(default_factory=dict)
    hashes: dict[int, str] = field(default_factory=dict)  # seq → hash, for the checkpoints it covers


def verify_archive(path) -> ArchiveCheck:
    """An archive file on its own: the manifest's signature, every entry's
    HMAC and link, the count, the first and last hash, the lines' digest."""
    check = ArchiveCheck()
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        check.problem = f"cannot read {path}: {exc.strerror}"
        return check
    lines = raw.splitlines(keepends=True)
    try:
        manifest = json.loads(lines[-1])["manifest"]
        check.manifest = manifest
        signed = hmac.compare_digest(sign(manifest["key_id"], _manifest_payload(manifest)), manifest["signature"])
    except (IndexError, ValueError, KeyError, TypeError, UnknownKey):
        check.problem = "its last line is not a manifest signed with a known key"
        return check
    if not signed:
        check.problem = "its manifest was altered (the signature does not match)"
        return check
    if manifest.get("format") != FORMAT:
        check.problem = f"unknown format {manifest.get('format')!r}"
        return check
    entries = lines[:-1]
    if hashlib.sha256(b"".join(entries)).hexdigest() != manifest["entries_sha256"]:
        # Named more precisely below if an entry itself does not verify.
        check.problem = "its entry lines differ from those the manifest signed"
    expected, prev = manifest["first_seq"], manifest["first_prev_hash"]
    for number, text in enumerate(entries, start=1):
        try:
            values = json.loads(text)
            ok = values["seq"] == expected and values["prev_hash"] == prev and hmac.compare_digest(
                sign(values["key_id"], AuditEntry.canonical_of(values)), values["hash"])
        except (ValueError, KeyError, TypeError, UnknownKey):
            ok = False
        if not ok:
            check.problem = f"line {number} (entry {expected}) is altered, missing or out of order"
            return check
        check.hashes[expected] = values["hash"]
        expected, prev = expected + 1, values["hash"]
    if check.problem:
        return check
    if len(entries) != manifest["count"] or expected - 1 != manifest["last_seq"] or prev != manifest["last_hash"]:
        check.problem = "it holds other entries than its manifest lists"
    return check


def against_database(check: ArchiveCheck) -> tuple[str | None, AuditCheckpoint | None]:
    """A verified archive's place in the chain: the archive anchor recorded
    for it, and the checkpoints written while its entries were online."""
    manifest = check.manifest
    anchor = next((a for a in AuditCheckpoint.objects.filter(kind=AuditCheckpoint.KIND_ARCHIVE, last_seq=manifest["last_seq"])
                   if a.detail.get("manifest_signature") == manifest["signature"]), None)
    if anchor is None:
        return "no archive anchor in the database records this archive", None
    if (anchor.first_seq, anchor.last_hash, anchor.count) != (manifest["first_seq"], manifest["last_hash"],
                                                             manifest["count"]):
        return f"archive #{anchor.id} records other entries than this archive holds", anchor
    covered = AuditCheckpoint.objects.filter(kind=AuditCheckpoint.KIND_CHECKPOINT, last_seq__gte=manifest["first_seq"],
                                             last_seq__lte=manifest["last_seq"])
    for checkpoint in covered:
        if check.hashes.get(checkpoint.last_seq) != checkpoint.last_hash:
            return (f"entry {checkpoint.last_seq} in the archive is not the one checkpoint #{checkpoint.id} "
                    f"recorded"), anchor
    return None, anchor
