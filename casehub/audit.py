"""The audit log: append-only, hash-chained.

Entries are chained in `seq` order: each stores the previous entry's hash
and its own over its fields. Writers are serialised (a PostgreSQL advisory
lock; SQLite has one writer anyway) so the chain never forks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import connection, transaction

from .models import AuditEntry
from .rules.refusal import Refused

GENESIS = "0" * 64
_LOCK_KEY = 0x63617365  # "case": the advisory lock that serialises appends


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
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        entry = AuditEntry(
            seq=seq,
            user=user if user is not None and user.is_authenticated else None,
            agency_id=agency_id,
            owner_agency_id=owner_agency_id,
            ip_address=client_ip(request),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            result=result,
            detail=detail or {},
            prev_hash=prev,
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


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    problem: str


def verify(batch_size: int = 5000) -> ChainBreak | None:
    """The first place the chain is broken, or None when it is whole."""
    expected_seq, prev = 1, GENESIS
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return ChainBreak(expected_seq, f"entry {expected_seq} is missing (next present is {entry.seq})")
        if entry.prev_hash != prev:
            return ChainBreak(entry.seq, f"entry {entry.seq} does not follow entry {entry.seq - 1}")
        if entry.compute_hash() != entry.hash:
            return ChainBreak(entry.seq, f"entry {entry.seq} was altered")
        expected_seq, prev = entry.seq + 1, entry.hash
    return None
