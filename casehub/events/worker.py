"""Draining the outbox: batches per subscriber, SKIP LOCKED so several
workers share the load, exponential backoff, and a dead-letter state after
the last attempt (kept for `search_status`-style inspection, never dropped)."""

from __future__ import annotations

import logging
import threading
import traceback
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..models import OutboxMessage
from .bus import OutboxSubscriber, subscribers

log = logging.getLogger("casehub.worker")

BACKOFF_BASE_SECONDS = 2
BACKOFF_MAX_SECONDS = 600
_wakeup = threading.Event()


def wake() -> None:
    """A commit published something: an in-process worker need not wait for
    its next poll."""
    _wakeup.set()


def wait_for_work(timeout: float) -> None:
    _wakeup.wait(timeout)
    _wakeup.clear()


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def _due(subscriber: OutboxSubscriber, now):
    return (OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(subscriber=subscriber.name, processed_at__isnull=True, failed_at__isnull=True, available_at__lte=now)
            .order_by("available_at", "id")[: subscriber.batch_size])


def _run_handler(subscriber: OutboxSubscriber, batch: list) -> tuple[set[int], str]:
    try:
        if subscriber.lease_seconds:
            failed = set(subscriber.handle(batch) or ())  # it makes its own transactions
        else:
            # A savepoint (inside the worker's transaction): a handler's own
            # database error must not poison the transaction that records the failure.
            with transaction.atomic():
                failed = set(subscriber.handle(batch) or ())
        return failed, "failed in a partially successful batch"
    except Exception:  # noqa: BLE001 — any handler failure is retried, never lost
        log.warning("outbox subscriber %s failed a batch of %d", subscriber.name, len(batch), exc_info=True)
        return {m.pk for m in batch}, traceback.format_exc(limit=5)


def _settle(subscriber: OutboxSubscriber, batch: list, failed: set[int], error: str) -> None:
    done = [m.pk for m in batch if m.pk not in failed]
    if done:
        OutboxMessage.objects.filter(pk__in=done).update(processed_at=timezone.now())
    for message in (m for m in batch if m.pk in failed):
        message.attempts += 1
        message.last_error = error[-4000:]
        if message.attempts >= subscriber.max_attempts:
            message.failed_at = timezone.now()
        else:
            message.available_at = timezone.now() + backoff(message.attempts)
        message.save(update_fields=["attempts", "last_error", "available_at", "failed_at"])


def drain_subscriber(subscriber: OutboxSubscriber) -> int:
    """Process one batch for one subscriber; return how many rows it took."""
    now = timezone.now()
    if subscriber.lease_seconds:
        return _drain_on_lease(subscriber, now)
    with transaction.atomic():
        batch = list(_due(subscriber, now))
        if not batch:
            return 0
        failed, error = _run_handler(subscriber, batch)
        _settle(subscriber, batch, failed, error)
    return len(batch)


def _drain_on_lease(subscriber: OutboxSubscriber, now) -> int:
    # Claim: a short transaction moves the batch out of everyone's reach until
    # the lease ends (on SQLite a long one would hold the database's write
    # lock, and every web request that writes would wait on it).
    with transaction.atomic():
        batch = list(_due(subscriber, now))
        if not batch:
            return 0
        OutboxMessage.objects.filter(pk__in=[m.pk for m in batch]).update(
            available_at=now + timedelta(seconds=subscriber.lease_seconds))
    failed, error = _run_handler(subscriber, batch)
    with transaction.atomic():
        _settle(subscriber, batch, failed, error)
    return len(batch)


def drain(max_batches: int | None = None) -> int:
    """Drain every subscriber until nothing is due (or max_batches ran)."""
    total = batches = 0
    progress = True
    while progress and (max_batches is None or batches < max_batches):
        progress = False
        for subscriber in subscribers().values():
            taken = drain_subscriber(subscriber)
            if taken:
                total += taken
                batches += 1
                progress = True
    return total


def purge_processed(older_than: timedelta = timedelta(days=7)) -> int:
    cutoff = timezone.now() - older_than
    deleted, _ = OutboxMessage.objects.filter(processed_at__lt=cutoff).delete()
    return deleted
