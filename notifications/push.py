"""The doorbell: after commit, each new notification is pushed through the
channel layer to its recipient's sockets. The inbox row is the record; if
the push fails (Redis down), it is queued in the outbox and retried with
backoff, and a reconnecting client replays from its last id anyway."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from casehub.events import bus

from .models import Notification

log = logging.getLogger("casehub.notifications")
RETRY_EVENT = "notification.push_retry"


def group_for(user_id: int) -> str:
    return f"notify.user.{user_id}"


def message(notifications: list[dict]) -> dict:
    return {"type": "notify.push", "notifications": notifications}


async def send(rows: list[Notification]) -> None:
    """Push rows, one group message per recipient, within the timeout (a
    hung Redis must not hold a request)."""
    from .inbox import serialize

    layer = get_channel_layer()
    by_user: dict[int, list[dict]] = {}
    for row in rows:
        by_user.setdefault(row.recipient_id, []).append(serialize(row))
    sends = [layer.group_send(group_for(user_id), message(items)) for user_id, items in by_user.items()]
    await asyncio.wait_for(asyncio.gather(*sends), timeout=settings.NOTIFICATIONS_PUSH_TIMEOUT)


def push_now(rows: list[Notification]) -> None:
    on_layer(send, rows)


async def send_to_groups(messages: list[tuple[str, dict]]) -> None:
    """Group messages, all within the push timeout."""
    layer = get_channel_layer()
    sends = [layer.group_send(group, content) for group, content in messages]
    await asyncio.wait_for(asyncio.gather(*sends), timeout=settings.NOTIFICATIONS_PUSH_TIMEOUT)


def on_layer(coroutine_function, *args) -> None:
    """Run a coroutine that talks to the channel layer, from sync code, and
    wait for it."""
    if _server_loop() is not None:
        # A request of the ASGI server: push on its loop, where the sockets
        # (and the in-memory layer's queues) live.
        async_to_sync(coroutine_function)(*args)
    else:
        # A plain process (the worker, a command): one long-lived loop, so
        # a push does not pay for a new loop and Redis connection each time.
        asyncio.run_coroutine_threadsafe(coroutine_function(*args), _pusher_loop()).result()


def layer_paused() -> bool:
    """Whether a push failed a moment ago (Redis down): don't wait on it."""
    return time.monotonic() < _paused_until


def pause_layer() -> None:
    global _paused_until
    _paused_until = time.monotonic() + settings.NOTIFICATIONS_PUSH_PAUSE


def _server_loop():
    from asgiref.sync import SyncToAsync

    local = SyncToAsync.threadlocal
    if getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    return getattr(local, "main_event_loop", None)


_pusher: asyncio.AbstractEventLoop | None = None
_pusher_lock = threading.Lock()


def _pusher_loop() -> asyncio.AbstractEventLoop:
    global _pusher
    with _pusher_lock:
        if _pusher is None or _pusher.is_closed() or (_pusher_pid != os.getpid()):
            _start_pusher()
        return _pusher


_pusher_pid = None


def _start_pusher() -> None:
    global _pusher, _pusher_pid
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="notification-pusher", daemon=True).start()
    _pusher, _pusher_pid = loop, os.getpid()


def push_on_commit(rows: list[Notification]) -> None:
    transaction.on_commit(lambda: _push_or_queue(rows))


# After a failed push this process queues pushes straight to the outbox for
# a few seconds, so that while Redis is down no request waits on it.
_paused_until = 0.0


def _push_or_queue(rows: list[Notification]) -> None:
    global _paused_until
    if time.monotonic() >= _paused_until:
        try:
            push_now(rows)
            return
        except Exception:  # noqa: BLE001 — the request that committed must not fail for a push
            _paused_until = time.monotonic() + settings.NOTIFICATIONS_PUSH_PAUSE
            log.warning("push of %d notifications failed; queued for retry", len(rows), exc_info=True)
    try:
        with transaction.atomic():
            bus.publish(RETRY_EVENT, ids=[row.pk for row in rows])
    except Exception:  # noqa: BLE001 — the inbox still has them; clients replay on reconnect
        log.exception("could not queue the push retry")


def resume_pushing() -> None:
    """Try the channel layer again at the next push (tests, and after an
    operator fixed Redis)."""
    global _paused_until
    _paused_until = 0.0


def retry(messages) -> None:
    """Outbox subscriber: push again what failed; raising keeps the batch
    for the worker's next attempt."""
    ids = [i for m in messages for i in m.payload.get("ids", [])]
    rows = list(Notification.objects.filter(pk__in=ids).order_by("recipient_id", "seq"))
    if rows:
        push_now(rows)
