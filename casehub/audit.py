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

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from .audit_chain import GENESIS, UnknownKey, lock_chain, signing_key_id
from .models import AuditCheckpoint, AuditEntry
from .rules.refusal import Refused



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
    # Within an act's transaction no savepoint is needed: a failure here fails the act.
    with transaction.atomic(savepoint=False):
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


@dataclass
class Act:
    """One act being audited: what it is about is filled in as the service
    learns it (the object it locked, the agency that owns it)."""

    user: object
    action: str
    object_type: str
    object_id: str = ""
    request: object = None
    agency_id: int | None = None
    owner_agency_id: int | None = None
    detail: dict = field(default_factory=dict)

    def about(self, obj=None, *, object_id=None, object_type=None, owner_agency_id=None, agency_id=None,
              case=None) -> Act:
        """Name the object acted on (`object_type` when the act made one of
        another type: a case's new transfer). `case`: the case it belongs to
        (or is), whose owner answers for it; the actor acts for that agency
        when a member of it, unless `agency_id` says for which they acted
        (the receiver of a transfer, the procuratorate)."""
        if obj is not None:
            self.object_id = str(obj.pk)
        if object_id is not None:
            self.object_id = str(object_id)
        if object_type is not None:
            self.object_type = object_type
        if case is not None:
            self.owner_agency_id = case.owning_agency_id
            self.agency_id = acting_agency_id(self.user, case)
        if owner_agency_id is not None:
            self.owner_agency_id = owner_agency_id
        if agency_id is not None:
            self.agency_id = agency_id
        return self

    def as_step(self) -> dict:
        """How an act folded into another shows in the outer act's entry."""
        return {"action": self.action, "object_type": self.object_type, "object_id": self.object_id, **self.detail}

    def record(self, result: str, extra: dict | None = None) -> AuditEntry:
        agency_id = self.agency_id if self.agency_id is not None else acting_agency_id(self.user)
        return record(user=self.user, action=self.action, object_type=self.object_type, object_id=self.object_id,
                      result=result, request=self.request, agency_id=agency_id,
                      owner_agency_id=self.owner_agency_id, detail={**self.detail, **(extra or {})})


_current: ContextVar[Act | None] = ContextVar("casehub_audit_act", default=None)


@contextmanager
def act(*, user, action: str, object_type: str, object_id="", request=None, agency_id=None,
        owner_agency_id=None, detail=None) -> Iterator[Act]:
    """Run one act in a transaction and audit it exactly once: allowed, in
    the act's own transaction, when the block completes; denied, with the
    refusal's reasons and after the act's writes are rolled back, when it
    raises `Refused`. An act started inside another (a case created with its
    parties, the files of an assistance answer) is part of it: the outer
    act's entry lists it under "steps", and a refusal inside refuses the whole."""
    outer = _current.get()
    if outer is not None:
        # Its own Act, so naming its object does not rename the outer act's.
        step = Act(user=user, action=action, object_type=object_type, object_id=str(object_id), request=request,
                   agency_id=agency_id, owner_agency_id=owner_agency_id, detail=dict(detail or {}))
        with transaction.atomic():
            yield step
        outer.detail.setdefault("steps", []).append(step.as_step())
        return
    current = Act(user=user, action=action, object_type=object_type, object_id=str(object_id), request=request,
                  agency_id=agency_id, owner_agency_id=owner_agency_id, detail=dict(detail or {}))
    token = _current.set(current)
    try:
        with transaction.atomic():
            yield current
            _current.reset(token)
            token = None
            current.record(AuditEntry.RESULT_ALLOWED)
    except Refused as refused:
        if token is not None:
            _current.reset(token)
            token = None
        current.record(AuditEntry.RESULT_DENIED, refused.audit_detail())
        raise
    finally:
        if token is not None:
            _current.reset(token)


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
