from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from casehub.events import bus, publish, subscribe, subscribe_in_transaction
from casehub.events.worker import backoff, drain, purge_processed
from casehub.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registry(monkeypatch):
    """An empty subscriber registry for the test, restored afterwards."""
    monkeypatch.setattr(bus, "_outbox", {})
    monkeypatch.setattr(bus, "_in_transaction", [])
    return bus


class Recorder:
    def __init__(self, fail_times=0, fail_ids=None):
        self.seen, self.fail_times, self.fail_ids = [], fail_times, fail_ids

    def __call__(self, batch):
        if self.fail_times:
            self.fail_times -= 1
            raise ConnectionError("search server down")
        self.seen.extend(m.payload["n"] for m in batch)
        if self.fail_ids:
            return [m.pk for m in batch if m.payload["n"] in self.fail_ids]
        return None


def test_publish_requires_a_transaction(registry):
    with pytest.raises(RuntimeError):
        publish("case.filed", n=1)


def test_one_row_per_interested_subscriber(registry):
    subscribe("search", ["case.filed", "case.updated"], Recorder())
    subscribe("notifications", ["*"], Recorder())
    subscribe("feeds", ["case.decided"], Recorder())
    with transaction.atomic():
        publish("case.filed", n=1)
    assert sorted(OutboxMessage.objects.values_list("subscriber", flat=True)) == ["notifications", "search"]


def test_rolled_back_change_leaves_no_event(registry):
    subscribe("search", ["*"], Recorder())
    with pytest.raises(RuntimeError, match="undone"), transaction.atomic():
        publish("case.filed", n=1)
        raise RuntimeError("the change is undone")
    assert not OutboxMessage.objects.exists()


def test_in_transaction_handlers_stand_or_fall_with_the_change(registry):
    seen = []
    subscribe_in_transaction(["case.filed"], lambda event: seen.append(event.payload["n"]))
    with transaction.atomic():
        publish("case.filed", n=7)
        publish("case.closed", n=8)
    assert seen == [7]


def test_worker_delivers_in_order_and_marks_processed(registry):
    recorder = Recorder()
    subscribe("search", ["*"], recorder, batch_size=3)
    for n in range(7):
        with transaction.atomic():
            publish("case.updated", n=n)
    assert drain() == 7
    assert recorder.seen == list(range(7))
    assert not OutboxMessage.objects.filter(processed_at__isnull=True).exists()
    assert drain() == 0  # at-least-once, but not again once processed


def test_failure_is_retried_after_backoff_and_nothing_is_lost(registry):
    recorder = Recorder(fail_times=1)
    subscribe("search", ["*"], recorder)
    with transaction.atomic():
        publish("case.updated", n=1)
    drain()
    message = OutboxMessage.objects.get()
    assert message.attempts == 1 and message.processed_at is None
    assert "search server down" in message.last_error
    assert message.available_at > timezone.now()
    assert drain() == 0  # not due yet
    OutboxMessage.objects.update(available_at=timezone.now())
    assert drain() == 1
    assert recorder.seen == [1]


def test_one_subscriber_down_does_not_hold_up_another(registry):
    search, notifications = Recorder(fail_times=5), Recorder()
    subscribe("search", ["*"], search)
    subscribe("notifications", ["*"], notifications)
    with transaction.atomic():
        publish("case.updated", n=1)
    drain()
    assert notifications.seen == [1] and search.seen == []


def test_partial_batch_failure_retries_only_the_failed(registry):
    recorder = Recorder(fail_ids={2})
    subscribe("search", ["*"], recorder)
    for n in range(4):
        with transaction.atomic():
            publish("case.updated", n=n)
    drain()
    pending = OutboxMessage.objects.filter(processed_at__isnull=True)
    assert [m.payload["n"] for m in pending] == [2]


def test_gives_up_after_max_attempts_but_keeps_the_row(registry):
    subscribe("search", ["*"], Recorder(fail_times=99), max_attempts=2)
    with transaction.atomic():
        publish("case.updated", n=1)
    for _ in range(2):
        OutboxMessage.objects.update(available_at=timezone.now())
        drain()
    message = OutboxMessage.objects.get()
    assert message.failed_at is not None and message.attempts == 2


def test_backoff_grows_and_is_capped():
    assert backoff(1) < backoff(2) < backoff(3)
    assert backoff(50) == timedelta(seconds=600)


def test_run_worker_once(registry, capsys):
    recorder = Recorder()
    subscribe("search", ["*"], recorder)
    with transaction.atomic():
        publish("case.updated", n=3)
    call_command("run_worker", "--once")
    assert recorder.seen == [3]


def test_purge_keeps_recent_and_pending(registry):
    old = OutboxMessage.objects.create(subscriber="s", event_type="e", processed_at=timezone.now() - timedelta(days=8))
    recent = OutboxMessage.objects.create(subscriber="s", event_type="e", processed_at=timezone.now())
    pending = OutboxMessage.objects.create(subscriber="s", event_type="e")
    assert purge_processed() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert old.pk not in set(OutboxMessage.objects.values_list("pk", flat=True))


def test_concurrent_workers_never_deliver_a_row_twice(registry):
    import threading
    import time

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED need PostgreSQL (SQLite has a single writer)")
    delivered, lock = [], threading.Lock()

    def slow(batch):
        time.sleep(0.05)  # hold the row locks while the other worker scans
        with lock:
            delivered.extend(m.payload["n"] for m in batch)

    subscribe("search", ["*"], slow, batch_size=5)
    with transaction.atomic():
        for n in range(60):
            publish("case.updated", n=n)

    def worker():
        try:
            drain()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(delivered) == list(range(60))


def test_a_leased_handler_runs_outside_any_transaction_and_is_settled_after(registry):
    from django.db import connection

    seen = []

    def slow(batch):
        seen.append((connection.in_atomic_block, [m.payload["n"] for m in batch]))
        # While it works, the batch is claimed: nobody else may take it.
        assert not OutboxMessage.objects.filter(available_at__lte=timezone.now(), processed_at__isnull=True).exists()
        return [m.pk for m in batch if m.payload["n"] == 2]

    subscribe("files", ["*"], slow, batch_size=5, lease_seconds=600)
    for n in range(3):
        with transaction.atomic():
            publish("case.file_added", n=n)
    assert drain() == 3
    assert seen == [(False, [0, 1, 2])]
    assert OutboxMessage.objects.filter(processed_at__isnull=False).count() == 2
    retried = OutboxMessage.objects.get(payload__n=2)
    assert retried.attempts == 1 and retried.available_at > timezone.now()


def test_a_lease_outlived_by_its_worker_is_taken_again(registry):
    def dies(batch):
        raise SystemExit  # the worker's process ends mid-batch

    subscribe("files", ["*"], dies, lease_seconds=600)
    with transaction.atomic():
        publish("case.file_added", n=1)
    with pytest.raises(SystemExit):
        drain()
    message = OutboxMessage.objects.get()
    assert message.processed_at is None and message.attempts == 0
    assert drain() == 0  # leased: nobody takes it before the lease ends
    OutboxMessage.objects.update(available_at=timezone.now())  # the lease ends
    recorder = Recorder()
    subscribe("files", ["*"], recorder, lease_seconds=600)
    assert drain() == 1 and recorder.seen == [1]
