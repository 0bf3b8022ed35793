"""Sockets end with their credentials: agencies' `credentials_ended` signal
(after commit: logout, token revoked, user deactivated, password changed,
membership ended) becomes a message to the user's sockets through the
channel layer, in every server process. Each socket then closes if it was
the ended session or token, or looks at its own credential again
(consumer.py).

If the layer cannot be reached (Redis down), the message is lost, not
queued: each process's periodic sweep closes the socket within
NOTIFICATIONS_RESYNC_SECONDS all the same, and a request never waits on it.
"""

from __future__ import annotations

import hashlib
import logging

from .push import group_for, layer_paused, on_layer, pause_layer, send_to_groups

log = logging.getLogger("casehub.notifications")
MESSAGE_TYPE = "credentials.ended"  # NotificationConsumer.credentials_ended


def session_ref(session_key: str) -> str:
    """What names a session in a message: not its key, which signs a
    browser in and has no business in the channel layer."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


def message(*, reason: str, session_key: str | None = None, token_id: int | None = None) -> dict:
    content = {"type": MESSAGE_TYPE, "reason": reason}
    if session_key:
        content["session"] = session_ref(session_key)
    if token_id is not None:
        content["token"] = token_id
    return content


def on_credentials_ended(sender, user_id, reason, session_key=None, token_id=None, **kwargs) -> None:
    if layer_paused():
        log.info("channel layer paused: the sweep closes user %s's sockets (%s)", user_id, reason)
        return
    content = message(reason=reason, session_key=session_key, token_id=token_id)
    try:
        on_layer(send_to_groups, [(group_for(user_id), content)])
    except Exception:  # noqa: BLE001 — the change is committed; the sweep is the safety net
        pause_layer()
        log.warning("could not tell user %s's sockets (%s); the sweep will", user_id, reason, exc_info=True)


def register() -> None:
    from agencies.credentials import credentials_ended

    credentials_ended.connect(on_credentials_ended, dispatch_uid="notifications_close_sockets")
