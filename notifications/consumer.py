"""/ws/notifications/: the doorbell. A client says the last id it saw (in
the URL, ?last_id=N, or as its first frame) and gets what it missed, in
order, then every new notification as it is committed. Frames in:
resume, mark_read, mark_all_read, ping. Frames out: notification, unread,
read, pong, error. Bad frames get an error frame and change nothing.

A socket lives no longer than the session or token that opened it
(agencies/credential_checks.py): it is looked at again when its deadline
comes (the session's idle or absolute deadline, the token's expiry — HTTP
activity may have moved it), when `credentials_ended` tells its user's
sockets that something changed (revocation.py), and every
NOTIFICATIONS_RESYNC_SECONDS by its process's sweep. Once it has ended it
sends nothing more and is closed with a code and the reason."""

from __future__ import annotations

import asyncio
import json
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import timezone

from agencies import credential_checks
from agencies.loading import current_memberships
from agencies.sessions import ENDED as SESSION_ENDED

from . import inbox
from .push import group_for
from .revocation import session_ref

log = logging.getLogger("casehub.notifications")

# Close codes (README, "Sessions and sockets"). The close frame's reason
# says why: not_signed_in, logout, idle, absolute, session_ended,
# password_changed, deactivated, token_revoked, token_expired, token_ended;
# no_agency with 4403.
UNAUTHENTICATED = 4401  # not signed in, or the session or token ended (as HTTP 401)
FORBIDDEN = 4403  # signed in, but a member of no agency (any more)
TOO_BIG = 1009
NOT_SIGNED_IN = "not_signed_in"
# A deadline timer fires this much late, so the row it looks at has ended.
_DEADLINE_SLACK = 0.05


def close_code(reason: str) -> int:
    return FORBIDDEN if reason == credential_checks.NO_AGENCY else UNAUTHENTICATED


class NotificationConsumer(AsyncWebsocketConsumer):
    ended = False  # the credential ended: nothing is sent any more
    user_id = None
    credential = None
    until = None  # the credential's deadline, as last read
    deadline_timer = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active or not self.scope.get("credential"):
            # Accepted, then closed: the client learns why (a refused
            # handshake is only an HTTP 403 to it).
            return await self._refuse(NOT_SIGNED_IN)
        if not user.is_superuser and not current_memberships(user):
            return await self._refuse(credential_checks.NO_AGENCY)
        self.user_id = user.pk
        self.credential = self.scope["credential"]
        self.session_ref = session_ref(self.credential[1]) if self.credential[0] == credential_checks.SESSION else None
        self.seen = None  # highest seq this client has; None until it says
        self.held: list[dict] = []  # pushes that arrive before it says
        self.sending = asyncio.Lock()  # pushes, replays and the resync never interleave
        await self.channel_layer.group_add(group_for(self.user_id), self.channel_name)
        await self.accept()
        self._expect_deadline(self.scope.get("credential_until"))
        _watch(self)
        query = parse_qs(self.scope.get("query_string", b"").decode(errors="replace"))
        if "last_id" in query:
            await self.resume(query["last_id"][-1])
        else:
            # Live from here unless the client resumes from an earlier id.
            self.connect_seq = await database_sync_to_async(inbox.last_seq)(self.user_id)
            # A client that says nothing within the grace period is live
            # from now on; what it missed it can page from the REST inbox.
            self.live_timer = asyncio.get_running_loop().call_later(
                settings.NOTIFICATIONS_RESUME_GRACE, lambda: asyncio.ensure_future(self._go_live())
            )
        await self.send_json({"type": "unread", "count": await database_sync_to_async(inbox.unread_count)(user)})

    async def _refuse(self, reason: str):
        self.ended = True
        await self.accept()
        await self.close(code=close_code(reason), reason=reason)

    async def disconnect(self, code):
        if self.user_id is not None:
            await self.channel_layer.group_discard(group_for(self.user_id), self.channel_name)
        self._cancel_timer()
        self._cancel_deadline()
        _unwatch(self)

    # --- the credential ----------------------------------------------------------
    async def credentials_ended(self, event):
        """From revocation.py: a session or token of this user ended (this
        socket's own, or another), or something about the user changed."""
        if self.ended:
            return
        if event.get("session") is not None or event.get("token") is not None:
            mine = (event.get("session") is not None and event["session"] == self.session_ref) or (
                event.get("token") is not None and self.credential == (credential_checks.TOKEN, event["token"]))
            if mine:
                await self.end(event.get("reason") or SESSION_ENDED)
            return
        await self.recheck()

    async def recheck(self) -> bool:
        """Look at the credential again; end the socket if it ended. Whether
        it is still good."""
        if self.ended:
            return False
        found = await database_sync_to_async(credential_checks.standing)(self.credential, self.user_id)
        if found.ended:
            await self.end(found.ended)
            return False
        self._expect_deadline(found.until)
        return True

    async def end(self, reason: str):
        """Nothing more for this socket: out of the group, then closed with
        the code and the reason."""
        if self.ended:
            return
        self.ended = True
        self._cancel_timer()
        self._cancel_deadline()
        _unwatch(self)
        await self.channel_layer.group_discard(group_for(self.user_id), self.channel_name)
        log.info("socket of user %s closed: %s", self.user_id, reason)
        await self.close(code=close_code(reason), reason=reason)

    def _expect_deadline(self, until):
        """Look again when the credential's deadline comes."""
        self._cancel_deadline()
        self.until = until
        if until is None or self.ended:
            return
        delay = max(0.0, (until - timezone.now()).total_seconds()) + _DEADLINE_SLACK
        self.deadline_timer = asyncio.get_running_loop().call_later(
            delay, lambda: asyncio.ensure_future(self.recheck()))

    def _cancel_deadline(self):
        if self.deadline_timer is not None:
            self.deadline_timer.cancel()
            self.deadline_timer = None

    async def _still_good(self) -> bool:
        """Before anything is sent: not ended, and not past a deadline the
        timer has not caught yet."""
        if self.ended:
            return False
        if self.until is not None and timezone.now() >= self.until:
            return await self.recheck()
        return True

    # --- frames from the client ----------------------------------------------
    async def receive(self, text_data=None, bytes_data=None):
        if self.ended:
            return
        raw = text_data if text_data is not None else bytes_data
        if raw is not None and len(raw) > settings.NOTIFICATIONS_MAX_FRAME:
            await self.close(code=TOO_BIG)
            return
        if text_data is None:
            return await self.error("bad_frame", "send JSON text frames")
        try:
            frame = json.loads(text_data)
        except ValueError:
            return await self.error("bad_json", "the frame is not JSON")
        if not isinstance(frame, dict) or not isinstance(frame.get("action"), str):
            return await self.error("bad_frame", "a frame is a JSON object with an action")
        action = frame["action"]
        if action == "resume":
            return await self.resume(frame.get("last_id"))
        if action == "mark_read":
            return await self.mark_read(frame.get("id"))
        if action == "mark_all_read":
            changed = await database_sync_to_async(inbox.mark_read)(self.scope["user"])
            return await self.read_done(changed)
        if action == "ping":
            return await self.send_json({"type": "pong"})
        await self.error("unknown_action", f"unknown action: {action[:40]}")

    async def resume(self, last_id):
        if self.seen is not None:
            return await self.error("already_resumed", "resume once, at the start")
        seq = 0
        if last_id not in (None, "", 0, "0"):
            number = _as_id(last_id)
            found = await database_sync_to_async(inbox.seq_of)(self.user_id, number) if number else None
            if found is None:
                return await self.error("not_found", "no such notification of yours")
            seq = found
        self._cancel_timer()
        async with self.sending:
            self.seen = seq
            await self._catch_up()
            await self._release_held()

    async def mark_read(self, notification_id):
        number = _as_id(notification_id)
        if number is None:
            return await self.error("bad_id", "id must be a notification id")
        changed = await database_sync_to_async(inbox.mark_read)(self.scope["user"], [number])
        if not changed and await database_sync_to_async(inbox.seq_of)(self.user_id, number) is None:
            return await self.error("not_found", "no such notification of yours")
        await self.read_done(changed)

    async def read_done(self, changed: int):
        count = await database_sync_to_async(inbox.unread_count)(self.scope["user"])
        await self.send_json({"type": "read", "changed": changed})
        await self.send_json({"type": "unread", "count": count})

    # --- pushes from the channel layer ----------------------------------------
    async def notify_push(self, event):
        if not await self._still_good():
            return
        items = sorted(event["notifications"], key=lambda n: n["seq"])
        async with self.sending:
            if self.seen is None:
                self.held.extend(items)
                return
            await self._deliver(items)

    async def _deliver(self, items):
        for item in items:
            if item["seq"] <= self.seen:
                continue  # a duplicate, or replayed already
            if item["seq"] > self.seen + 1:
                await self._catch_up()  # a push went missing: the inbox has it
                if item["seq"] <= self.seen:
                    continue
            await self.send_json({"type": "notification", "notification": item})
            self.seen = item["seq"]

    async def _catch_up(self):
        while True:
            missed = await database_sync_to_async(inbox.after)(self.user_id, self.seen)
            for row in missed:
                await self.send_json({"type": "notification", "notification": inbox.serialize(row)})
                self.seen = row.seq
            if len(missed) < 500:
                return

    async def _go_live(self):
        async with self.sending:
            if self.seen is None:
                self.seen = self.connect_seq
                await self._release_held()

    async def resync_to(self, latest: int):
        """The inbox is ahead of what this socket has sent: a push was lost
        (Redis down, a process that died after commit, or a worker the
        in-memory layer cannot reach). Deliver the rest from the inbox."""
        if self.seen is not None and latest > self.seen and await self._still_good():
            async with self.sending:
                await self._catch_up()

    async def _release_held(self):
        held, self.held = self.held, []
        await self._deliver(sorted(held, key=lambda n: n["seq"]))

    def _cancel_timer(self):
        timer = getattr(self, "live_timer", None)
        if timer:
            timer.cancel()
            self.live_timer = None

    async def error(self, code: str, message: str):
        await self.send_json({"type": "error", "code": code, "message": message})

    async def send_json(self, content):
        if self.ended:
            return  # its session or token ended: not one frame more
        await self.send(text_data=json.dumps(content, ensure_ascii=False))


# One resync per server process (per event loop), not per socket: every so
# often one query reads the standing of every socket's session or token
# (the safety net for an end nobody announced: a session row deleted by
# hand, a user deactivated with QuerySet.update()), and one more the inbox
# counters of all connected users, and only sockets that are behind catch up.
_sockets: dict[asyncio.AbstractEventLoop, dict[int, set[NotificationConsumer]]] = {}


def _watch(consumer: NotificationConsumer) -> None:
    loop = asyncio.get_running_loop()
    if loop not in _sockets:
        _sockets[loop] = {}
        loop.create_task(_resync_all(loop))
    _sockets[loop].setdefault(consumer.user_id, set()).add(consumer)


def _unwatch(consumer: NotificationConsumer) -> None:
    users = _sockets.get(asyncio.get_running_loop(), {})
    sockets = users.get(getattr(consumer, "user_id", None))
    if sockets is not None:
        sockets.discard(consumer)
        if not sockets:
            users.pop(consumer.user_id, None)


async def _resync_all(loop) -> None:
    try:
        while True:
            await asyncio.sleep(settings.NOTIFICATIONS_RESYNC_SECONDS)
            try:
                await _sweep(loop)
            except Exception:  # noqa: BLE001 — the database may be away for a moment; next round
                log.warning("the sockets' periodic check failed", exc_info=True)
    finally:
        _sockets.pop(loop, None)


async def _sweep(loop) -> None:
    users = _sockets.get(loop, {})
    consumers = [c for sockets in users.values() for c in sockets if not c.ended]
    if not consumers:
        return
    found = await database_sync_to_async(credential_checks.standings)({c.credential: c.user_id for c in consumers})
    for consumer in consumers:
        standing = found.get(consumer.credential)
        if standing is not None and standing.ended:
            loop.create_task(consumer.end(standing.ended))
    users = {user_id: sockets for user_id, sockets in users.items() if any(not c.ended for c in sockets)}
    if not users:
        return
    latest = await database_sync_to_async(inbox.last_seqs)(list(users))
    for user_id, seq in latest.items():
        for consumer in list(users.get(user_id, ())):
            if not consumer.ended and consumer.seen is not None and seq > consumer.seen:
                loop.create_task(consumer.resync_to(seq))


def _as_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 2**63 else None
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None
