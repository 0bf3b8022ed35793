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


def drain_subscriber(subscriber: OutboxSubscriber) -> int:
    """Process one batch for one subscriber; return how many rows it took."""
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(subscriber=subscriber.name, processed_at__isnull=True, failed_at__isnull=True, available_at__lte=now)
            .order_by("available_at", "id")[: subscriber.batch_size]
        )
        if not batch:
            return 0
        try:
            # A savepoint: a handler's own database error must not poison the
            # transaction that records the failure.
            with transaction.atomic():
                failed = set(subscriber.handle(batch) or ())
            error = "failed in a partially successful batch"
        except Exception:  # noqa: BLE001 — any handler failure is retried, never lost
            failed = {m.pk for m in batch}
            error = traceback.format_exc(limit=5)
            log.warning("outbox subscriber %s failed a batch of %d", subscriber.name, len(batch), exc_info=True)
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
