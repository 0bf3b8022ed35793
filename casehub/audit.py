"""The audit log: append-only, hash-chained, keyed and anchored.

Entries are chained in `seq` order: each stores the previous entry's hash
and its own, an HMAC over its fields with a key from the environment
(audit_chain.py). Writers are serialised (a PostgreSQL advisory lock; SQLite
has one writer anyway) so the chain never forks. Checkpoints
(audit_checkpoints.py) sign the head every so often, so a removed tail or a
re-signed last entry contradicts them; archives (audit_archive.py) move old
entries out through a signed file and an anchor the chain continues from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from .audit_chain import GENESIS, UnknownKey, lock_chain, signing_key_id
from .models import AuditCheckpoint, AuditEntry



def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def acting_agency_id(user, case=None):
    """The agency on whose behalf the user acted: the case's owner when they
    belong to it, otherwise their first agency."""
    from . import access

    ids = access.agency_ids(user) if user is not None and user.is_authenticated else set()
    if case is not None and case.owning_agency_id in ids:
        return case.owning_agency_id
    return min(ids) if ids else None


def record(*, user, action: str, object_type: str, object_id="", result=AuditEntry.RESULT_ALLOWED,
           request=None, agency_id=None, owner_agency_id=None, detail=None) -> AuditEntry:
    with transaction.atomic():
        lock_chain()
        # The archive always leaves the newest entry online, so the head is
        # always this one row (one read, one insert).
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        entry = AuditEntry(
            seq=seq,
            at=timezone.now(),
            user=user if user is not None and user.is_authenticated else None,
            agency_id=agency_id,
            owner_agency_id=owner_agency_id,
            ip_address=_stored_ip(client_ip(request)),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            result=result,
            detail=detail or {},
            prev_hash=prev,
            key_id=signing_key_id(),
        )
        entry.hash = entry.compute_hash()
        entry.save()
        return entry


def _stored_ip(address: str | None) -> str | None:
    # Signed as the database will give it back: PostgreSQL's inet writes IPv6
    # in its short lower-case form.
    if address and ":" in address:
        try:
            return clean_ipv6_address(address)
        except ValidationError:  # not an address: stored (and refused by PostgreSQL) as given
            return address
    return address


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    problem: str
    checkpoint: int | None = None  # the checkpoint involved, when the break is one


@dataclass
class Verification:
    broken: ChainBreak | None = None
    entries: int = 0  # entries online, checked
    head_seq: int = 0
    archived_to: int = 0  # entries up to this seq are in archives
    last_checkpoint: AuditCheckpoint | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def unanchored(self) -> int:
        """Entries after the last checkpoint: not yet protected against removal."""
        return self.head_seq - (self.last_checkpoint.last_seq if self.last_checkpoint else self.archived_to)


def verify(batch_size: int = 5000) -> ChainBreak | None:
    """The first place the chain is broken, or None when it is whole."""
    return verify_report(batch_size).broken


def verify_report(batch_size: int = 5000) -> Verification:
    """Check, in this order: the checkpoints (signed, each following the one
    before; those of the mirror file too), every entry online (contiguous,
    linked, its HMAC, the hash each checkpoint recorded for it), then the
    head against the newest checkpoint (a removed tail)."""
    from . import audit_checkpoints

    report = Verification()
    anchors = audit_checkpoints.load()
    report.warnings += anchors.warnings
    if anchors.broken:
        report.broken = anchors.broken
        return report
    archive = anchors.last_archive
    report.archived_to = archive.last_seq if archive else 0
    report.last_checkpoint = anchors.last_checkpoint
    at_seq: dict[int, list] = {}
    for anchor in anchors.claims:
        if anchor.last_seq > report.archived_to:
            at_seq.setdefault(anchor.last_seq, []).append(anchor)

    expected_seq, prev = (archive.last_seq + 1, archive.last_hash) if archive else (1, GENESIS)
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        seq = entry.seq
        if seq < expected_seq:
            report.broken = ChainBreak(seq, f"entry {seq} is present although archive #{archive.id} took out "
                                            f"entries up to {archive.last_seq}: it was inserted afterwards", archive.id)
            return report
        if seq != expected_seq:
            report.broken = ChainBreak(expected_seq, f"entry {expected_seq} is missing (next present is {seq})")
            return report
        if entry.prev_hash != prev:
            report.broken = ChainBreak(seq, f"entry {seq} does not follow entry {seq - 1} (its previous hash differs)")
            return report
        try:
            intact = entry.compute_hash() == entry.hash
        except UnknownKey:
            report.broken = ChainBreak(seq, f"entry {seq} is signed with an unknown key (id {entry.key_id!r}): "
                                            f"forged, or AUDIT_HMAC_OLD_KEYS lacks a retired key")
            return report
        if not intact:
            report.broken = ChainBreak(seq, f"entry {seq} was altered (its HMAC does not match)")
            return report
        for anchor in at_seq.get(seq, ()):
            if anchor.last_hash != entry.hash:
                report.broken = ChainBreak(seq, f"entry {seq} is not the one {anchor.name} recorded: it was replaced",
                                           anchor.id)
                return report
        report.entries += 1
        expected_seq, prev = seq + 1, entry.hash
    report.head_seq = expected_seq - 1

    newest = max(anchors.claims, key=lambda a: a.last_seq, default=None)
    if newest is not None and newest.last_seq > report.head_seq:
        report.broken = ChainBreak(
            report.head_seq + 1,
            f"entries {report.head_seq + 1}–{newest.last_seq} were removed: {newest.name} recorded entry "
            f"{newest.last_seq} as the head, the log ends at entry {report.head_seq}", newest.id)
        return report
    if archive is not None and report.head_seq == archive.last_seq:
        # The archive always leaves the newest entry online.
        report.broken = ChainBreak(archive.last_seq + 1, f"entry {archive.last_seq + 1} is missing: archive "
                                                         f"#{archive.id} left it online and nothing follows", archive.id)
        return report
    report.broken = anchors.check_after_walk(report.archived_to)
    return report
