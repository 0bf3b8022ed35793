"""The audit log: append-only, hash-chained.

Entries are chained in `seq` order: each stores the previous entry's hash
and its own over its fields. Writers are serialised (a PostgreSQL advisory
lock; SQLite has one writer anyway) so the chain never forks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from .models import AuditEntry

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
    with transaction.atomic():
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
