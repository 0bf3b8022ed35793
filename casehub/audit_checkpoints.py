"""Checkpoints: the audit chain's head, signed, where the application's
database role cannot rewrite it.

A chain alone proves only that what is there links up: remove the newest
entries, and what is left is a shorter, perfectly linked chain. So every so
often (the worker's periodic tasks, `manage.py audit_checkpoint`) the head —
last seq, last hash, how many entries the period added — is signed with the
audit key and appended to `AuditCheckpoint`, whose rows PostgreSQL refuses to
change, delete or truncate, and on which the application's role may only
insert and read (`manage.py grant_app_role`). Checkpoints sign the one before
them, so a removed checkpoint breaks their own chain too.

A database superuser can still remove the newest checkpoints with the entries
they anchor. Against that, every checkpoint is also appended to
AUDIT_CHECKPOINT_FILE (if set; a file on storage the database's
administrators do not control) and written to the log: a checkpoint present
there but not in the database is reported.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .audit_chain import GENESIS, UnknownKey, lock_chain, sign, signing_key_id
from .models import AuditCheckpoint, AuditEntry

log = logging.getLogger("casehub.audit")


def _when(at) -> str:
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")


# --- writing ------------------------------------------------------------------

def write_checkpoint(*, force: bool = False) -> AuditCheckpoint | None:
    """Sign the chain's head. Nothing when no entry was added since the last
    checkpoint (unless `force`), or when no entry is online."""
    with transaction.atomic():
        lock_chain()
        head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        if head is None:
            return None
        last_regular = (AuditCheckpoint.objects.filter(kind=AuditCheckpoint.KIND_CHECKPOINT)
                        .order_by("-id").first())
        since = last_regular.last_seq if last_regular else 0
        if head[0] == since and not force:
            return None
        count = AuditEntry.objects.filter(seq__gt=since, seq__lte=head[0]).count()
        return append(AuditCheckpoint.KIND_CHECKPOINT, first_seq=since + 1, last_seq=head[0],
                      last_hash=head[1], count=count)


def periodic_checkpoint() -> int | None:
    """The worker's periodic task: the id of the checkpoint written, if any."""
    checkpoint = write_checkpoint()
    return checkpoint.id if checkpoint else None


def append(kind: str, *, first_seq: int, last_seq: int, last_hash: str, count: int,
           detail: dict | None = None) -> AuditCheckpoint:
    """Append a signed checkpoint; the caller holds the chain lock in its
    transaction. It reaches the mirror file and the log once committed."""
    previous = AuditCheckpoint.objects.order_by("-id").values_list("signature", flat=True).first()
    checkpoint = AuditCheckpoint(kind=kind, at=timezone.now(), first_seq=first_seq, last_seq=last_seq,
                                 last_hash=last_hash, count=count, detail=detail or {},
                                 prev_signature=previous or GENESIS, key_id=signing_key_id())
    checkpoint.signature = checkpoint.compute_signature()
    checkpoint.save()
    transaction.on_commit(lambda: _publish(checkpoint))
    return checkpoint


def _publish(checkpoint: AuditCheckpoint) -> None:
    line = json.dumps(checkpoint.as_line(), sort_keys=True, ensure_ascii=False, default=str)
    log.info("audit checkpoint %s", line)
    path = settings.AUDIT_CHECKPOINT_FILE
    if path:
        # O_APPEND: one write per line, never a rewrite; fsync so a crash
        # cannot lose a checkpoint the database already holds.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, (line + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)


# --- checking -----------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """What a checkpoint says: entry `last_seq` had hash `last_hash`."""

    id: int | None
    name: str
    last_seq: int
    last_hash: str


@dataclass
class Anchors:
    broken: object = None  # audit.ChainBreak
    warnings: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    last_archive: AuditCheckpoint | None = None
    last_checkpoint: AuditCheckpoint | None = None
    periods: list[tuple[AuditCheckpoint, int]] = field(default_factory=list)  # (checkpoint, previous last_seq)
    only_in_file: list[Claim] = field(default_factory=list)

    def check_after_walk(self, archived_to: int):
        """What can be told once the entries are known to be whole."""
        from .audit import ChainBreak

        for checkpoint, since in self.periods:
            if since >= archived_to and checkpoint.count != checkpoint.last_seq - since:
                return ChainBreak(checkpoint.last_seq,
                                  f"checkpoint #{checkpoint.id} counted {checkpoint.count} entries after entry "
                                  f"{since}, the chain has {checkpoint.last_seq - since}: entries were missing "
                                  f"when it was written", checkpoint.id)
        for claim in self.only_in_file:
            return ChainBreak(claim.last_seq, f"{claim.name}: checkpoints were removed", claim.id)
        return None


def _name(checkpoint: AuditCheckpoint) -> str:
    return f"{'archive' if checkpoint.kind == AuditCheckpoint.KIND_ARCHIVE else 'checkpoint'} #{checkpoint.id} " \
           f"of {_when(checkpoint.at)}"


def load() -> Anchors:
    """Every checkpoint, checked: its signature, its place in the checkpoint
    chain, its seq moving forward; then the mirror file's against them."""
    from .audit import ChainBreak

    anchors = Anchors()
    by_signature = {}
    previous, last_regular = None, None
    for checkpoint in AuditCheckpoint.objects.order_by("id"):
        name = _name(checkpoint)
        try:
            intact = hmac.compare_digest(checkpoint.compute_signature(), checkpoint.signature)
        except UnknownKey:
            anchors.broken = ChainBreak(checkpoint.last_seq, f"{name} is signed with an unknown key "
                                                             f"(id {checkpoint.key_id!r})", checkpoint.id)
            return anchors
        if not intact:
            anchors.broken = ChainBreak(checkpoint.last_seq, f"{name} is forged or altered "
                                                             f"(its signature does not match)", checkpoint.id)
            return anchors
        if checkpoint.prev_signature != (previous.signature if previous else GENESIS):
            after = _name(previous) if previous else "the start"
            anchors.broken = ChainBreak(checkpoint.last_seq, f"{name} does not follow {after}: a checkpoint "
                                                             f"between them was removed", checkpoint.id)
            return anchors
        if checkpoint.kind == AuditCheckpoint.KIND_ARCHIVE:
            expected_first = (anchors.last_archive.last_seq if anchors.last_archive else 0) + 1
            if checkpoint.first_seq != expected_first or checkpoint.count != checkpoint.last_seq - expected_first + 1:
                anchors.broken = ChainBreak(checkpoint.last_seq, f"{name} does not continue the archive before it "
                                                                 f"(it starts at entry {checkpoint.first_seq}, "
                                                                 f"expected {expected_first})", checkpoint.id)
                return anchors
            anchors.last_archive = checkpoint
        else:
            since = last_regular.last_seq if last_regular else 0
            if checkpoint.last_seq < since:
                anchors.broken = ChainBreak(checkpoint.last_seq, f"{name} goes back from entry {since} to entry "
                                                                 f"{checkpoint.last_seq}", checkpoint.id)
                return anchors
            anchors.periods.append((checkpoint, since))
            last_regular = checkpoint
        anchors.claims.append(Claim(checkpoint.id, name, checkpoint.last_seq, checkpoint.last_hash))
        by_signature[checkpoint.signature] = checkpoint
        previous = checkpoint
    anchors.last_checkpoint = last_regular
    _load_file(anchors, by_signature)
    return anchors


def _load_file(anchors: Anchors, in_database: dict) -> None:
    from .audit import ChainBreak

    path = settings.AUDIT_CHECKPOINT_FILE
    if not path:
        return
    if not os.path.exists(path):
        if in_database:
            anchors.warnings.append(f"the checkpoint file {path} does not exist: nothing to compare with")
        return
    with open(path, encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
                values = {name: line[name] for name in AuditCheckpoint.SIGNED_FIELDS}
                intact = hmac.compare_digest(sign(line["key_id"], AuditCheckpoint.canonical_of(values)),
                                             line["signature"])
                last_seq, last_hash = int(line["last_seq"]), str(line["last_hash"])
            except (ValueError, KeyError, TypeError, UnknownKey):
                intact = False
                last_seq, last_hash = 0, ""
            if not intact:
                anchors.broken = ChainBreak(last_seq, f"line {number} of {path} is not a checkpoint signed with "
                                                      f"a known key: the file was altered")
                return
            if line["signature"] in in_database:
                continue
            kind = "archive" if line["kind"] == AuditCheckpoint.KIND_ARCHIVE else "checkpoint"
            claim = Claim(line.get("id"), f"{kind} #{line.get('id')} of {_when(line['at'])} (line {number} of "
                                          f"{path}, missing from the database)", last_seq, last_hash)
            anchors.claims.append(claim)
            anchors.only_in_file.append(claim)
