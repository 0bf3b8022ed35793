"""Connecting to /ws/notifications/ through the whole ASGI stack (origin
check, session and token auth, routing), as browsers and systems do."""

import asyncio
import json

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client

from notifications.inbox import store
from notifications.models import Notification

ORIGIN = (b"origin", b"http://localhost")


def run(scenario):
    """Run an async scenario from a sync test (the suite has no asyncio
    plugin); database calls inside it use the test's connection."""
    return async_to_sync(scenario)()


def session_headers(user, origin=ORIGIN):
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    return [(b"cookie", cookie)] + ([origin] if origin else [])


def token_headers(key):
    return [(b"authorization", f"Bearer {key}".encode())]


def communicator(headers, query=""):
    from casehub.asgi import application

    path = "/ws/notifications/" + (f"?{query}" if query else "")
    return WebsocketCommunicator(application, path, headers=headers)


async def opened(headers, query=""):
    """A connected socket, past its first (unread count) frame."""
    comm = communicator(headers, query)
    connected, code = await comm.connect()
    assert connected, code
    await frames_until(comm, lambda f: f["type"] == "unread")
    return comm


async def frames_until(comm, predicate, timeout=3):
    """Frames received up to and including the first that satisfies
    `predicate`."""
    seen = []
    while True:
        frame = json.loads(await comm.receive_from(timeout=timeout))
        seen.append(frame)
        if predicate(frame):
            return seen


async def notifications(comm, count, timeout=3):
    got = []
    while len(got) < count:
        frame = json.loads(await comm.receive_from(timeout=timeout))
        if frame["type"] == "notification":
            got.append(frame["notification"])
    return got


@database_sync_to_async
def notify(user, count=1, kind="case_closed"):
    """Commit `count` notifications for the user (the push happens on
    commit, as in a request)."""
    with transaction.atomic():
        rows = store([Notification(recipient=user, kind=kind, text=f"通知{i}", payload={"params": {"number": str(i)}})
                      for i in range(count)])
    return [row.pk for row in rows]


async def closed(comm, timeout=5) -> tuple[int, str | None]:
    """(code, reason) of the close the application sends within `timeout`
    seconds; no notification may come before it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        message = await comm.receive_output(timeout=max(0.01, deadline - loop.time()))
        if message["type"] == "websocket.close":
            return message.get("code"), message.get("reason")
        frame = json.loads(message["text"])
        assert frame["type"] != "notification", frame


async def refused(headers, query="") -> tuple[int, str | None]:
    """A socket accepted and at once closed: (code, reason)."""
    comm = communicator(headers, query)
    connected, _ = await comm.connect()
    assert connected, "the handshake must be accepted, then the socket closed with a code"
    return await closed(comm)
