from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction


@dataclass(frozen=True)
class Event:
    type: str  # e.g. "case.filed"
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboxSubscriber:
    name: str
    event_types: frozenset[str]  # "*" for every event
    # Called with a batch of OutboxMessage rows; raises to fail the batch, or
    # returns the ids that failed (they are retried alone).
    handle: Callable[[list], Iterable[int] | None]
    batch_size: int = 200
    max_attempts: int = 12
    # Slow handlers (reading files) run outside the worker's transaction on
    # a lease: the batch is claimed for this long, handled, then settled. A
    # worker that dies meanwhile leaves it to be taken again when the lease
    # ends. The handler makes its own transactions.
    lease_seconds: int | None = None

    def wants(self, event_type: str) -> bool:
        return "*" in self.event_types or event_type in self.event_types


_outbox: dict[str, OutboxSubscriber] = {}
_in_transaction: list[tuple[frozenset[str], Callable[[Event], None]]] = []


def subscribe(name: str, event_types: Iterable[str], handle, *, batch_size: int = 200, max_attempts: int = 12,
              lease_seconds: int | None = None) -> None:
    _outbox[name] = OutboxSubscriber(name, frozenset(event_types), handle, batch_size, max_attempts, lease_seconds)


def subscribe_in_transaction(event_types: Iterable[str], handle: Callable[[Event], None]) -> None:
    _in_transaction.append((frozenset(event_types), handle))


def subscribers() -> dict[str, OutboxSubscriber]:
    return dict(_outbox)


def publish(event_type: str, **payload: Any) -> Event:
    """Record an event as part of the current transaction. Must be called
    inside ``transaction.atomic()``: an event must never outlive a rolled-back
    change, nor a change commit without its event."""
    from ..models import OutboxMessage

    if not connection.in_atomic_block:
        raise RuntimeError("publish() must run inside transaction.atomic() with the change it reports")
    event = Event(event_type, payload)
    for types, handle in _in_transaction:
        if "*" in types or event_type in types:
            handle(event)
    rows = [
        OutboxMessage(subscriber=s.name, event_type=event_type, payload=payload)
        for s in _outbox.values()
        if s.wants(event_type)
    ]
    if rows:
        OutboxMessage.objects.bulk_create(rows)
        transaction.on_commit(_wake_worker)
    return event


def _wake_worker() -> None:
    from .worker import wake

    wake()
