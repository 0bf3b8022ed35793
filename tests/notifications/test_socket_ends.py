"""A socket ends with the session or token that opened it: closed within
seconds with its code and reason, and nothing reaches it after. Through the
whole ASGI stack with channels' WebsocketCommunicator, on whichever channel
layer the run uses (in-memory, or Redis with REDIS_URL); test_live_server.py
does the same against a real server and Redis."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from django.contrib.sessions.models import Session
from django.utils import timezone

from agencies.credentials import announce
from agencies.models import ApiToken, User
from tests.factories import token_for

from .ends import SHORT_IDLE, CAUSES, Holder, another_membership, change_password, end_membership, log_out, short_lifetimes
from .socket_helpers import closed, communicator, notifications, notify, opened, run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_layer(settings):
    settings.NOTIFICATIONS_RESUME_GRACE = 0.2
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


async def _keep_requesting_until_closed(holder, comm, timeout):
    """The user keeps working over HTTP while the socket is open."""
    loop_time = asyncio.get_running_loop().time
    deadline = loop_time() + timeout
    while await comm.receive_nothing(timeout=0.3) and loop_time() < deadline:
        await database_sync_to_async(holder.request)()


@pytest.mark.parametrize("cause", list(CAUSES))
def test_the_socket_closes_with_its_credential_and_gets_nothing_after(cause, settings):
    by, end, code, reason, keep_active = CAUSES[cause]
    short_lifetimes(settings, cause)
    holder = Holder.make(by)

    async def scenario():
        comm = await opened(holder.asgi_headers(), "last_id=0")
        await notify(holder.user)
        assert len(await notifications(comm, 1)) == 1  # live before
        if end is not None:
            await database_sync_to_async(end)(holder)
        elif keep_active:
            await _keep_requesting_until_closed(holder, comm, timeout=settings.SESSION_ABSOLUTE_LIFETIME + 5)
        # Within 5 s of the end (of its deadline, for the timed ones).
        wait = 5 + (settings.SESSION_IDLE_TIMEOUT if cause == "idle expiry" else 0)
        assert await closed(comm, timeout=wait) == (code, reason)
        await notify(holder.user)  # published after the end
        assert await comm.receive_nothing(timeout=0.5)

    run(scenario)
    if by == "session" and cause != "membership end":
        response = holder.request()
        assert response.status_code in (401, 403), (cause, response.status_code)


def test_an_active_session_keeps_its_socket_past_the_idle_timeout(settings):
    """HTTP requests move the idle deadline; the socket's timer looks again
    and keeps it open."""
    settings.SESSION_IDLE_TIMEOUT = SHORT_IDLE
    holder = Holder.make("session")

    async def scenario():
        comm = await opened(holder.asgi_headers(), "last_id=0")
        loop = asyncio.get_running_loop()
        until = loop.time() + 2 * SHORT_IDLE
        while loop.time() < until:
            assert await comm.receive_nothing(timeout=0.3)
            assert (await database_sync_to_async(holder.request)()).status_code == 200
        await notify(holder.user)
        assert len(await notifications(comm, 1)) == 1
        await comm.disconnect()
    run(scenario)


def test_only_the_ended_credential_closes():
    """A logout closes that browser's socket; the same user's token socket
    and another browser's stay open (and a new password leaves the token)."""
    browser = Holder.make("session")
    other_browser = Holder(user=browser.user, admin=browser.admin, by="session")
    other_browser.client = type(browser.client)()
    other_browser.client.force_login(browser.user)
    system = Holder(user=browser.user, admin=browser.admin, by="token", token=token_for(browser.user))

    async def scenario():
        a = await opened(browser.asgi_headers(), "last_id=0")
        b = await opened(other_browser.asgi_headers(), "last_id=0")
        t = await opened(system.asgi_headers(), "last_id=0")
        await database_sync_to_async(log_out)(browser)
        assert await closed(a) == (4401, "logout")
        await notify(browser.user)
        assert len(await notifications(b, 1)) == 1 and len(await notifications(t, 1)) == 1
        assert await a.receive_nothing(timeout=0.3)
        await database_sync_to_async(change_password)(browser)
        assert await closed(b) == (4401, "password_changed")
        await notify(browser.user)
        assert len(await notifications(t, 1)) == 1
        await t.disconnect()
    run(scenario)


def test_ending_one_of_two_memberships_keeps_the_socket():
    holder = Holder.make("session")
    another_membership(holder)

    async def scenario():
        comm = await opened(holder.asgi_headers(), "last_id=0")
        await database_sync_to_async(end_membership)(holder)  # looked at again: one agency left
        assert await comm.receive_nothing(timeout=0.5)
        await notify(holder.user)
        assert len(await notifications(comm, 1)) == 1
        await comm.disconnect()
    run(scenario)


@pytest.mark.parametrize("change, reason", [
    (lambda h: Session.objects.all().delete(), "session_ended"),
    (lambda h: User.objects.filter(pk=h.user.pk).update(is_active=False), "deactivated"),
    (lambda h: h.user.memberships.update(ended_at=timezone.now()), "no_agency"),
    (lambda h: User.objects.filter(pk=h.user.pk).update(password="!"), "password_changed"),
])
def test_the_periodic_sweep_closes_what_nobody_announced(change, reason, settings):
    """Changes made around the models send no signal: each process's sweep
    (one query for all its sockets) closes the socket all the same."""
    settings.NOTIFICATIONS_RESYNC_SECONDS = 0.3
    holder = Holder.make("session")

    async def scenario():
        comm = await opened(holder.asgi_headers(), "last_id=0")
        await database_sync_to_async(change)(holder)
        assert (await closed(comm))[1] == reason
        await notify(holder.user)
        assert await comm.receive_nothing(timeout=0.5)
    run(scenario)


def test_the_sweep_closes_a_token_revoked_around_the_model(settings):
    settings.NOTIFICATIONS_RESYNC_SECONDS = 0.3
    holder = Holder.make("token")

    async def scenario():
        comm = await opened(holder.asgi_headers(), "last_id=0")
        await database_sync_to_async(lambda: ApiToken.objects.update(revoked_at=timezone.now()))()
        assert await closed(comm) == (4401, "token_revoked")
    run(scenario)


def test_a_token_closes_when_it_expires():
    holder = Holder.make("token")
    ApiToken.objects.filter(prefix=holder.token[:8]).update(expires_at=timezone.now() + timezone.timedelta(seconds=1.5))

    async def scenario():
        comm = await opened(holder.asgi_headers(), "last_id=0")
        assert await closed(comm, timeout=6.5) == (4401, "token_expired")
    run(scenario)


def test_an_announcement_after_a_change_made_around_the_models_closes_at_once():
    """What another path must do after QuerySet.update(): announce()."""
    holder = Holder.make("session")

    async def scenario():
        comm = await opened(holder.asgi_headers(), "last_id=0")

        def deactivate_in_bulk():
            User.objects.filter(pk=holder.user.pk).update(is_active=False)
            announce(holder.user.pk, reason="deactivated")

        await database_sync_to_async(deactivate_in_bulk)()
        assert await closed(comm) == (4401, "deactivated")
    run(scenario)


def test_a_socket_opened_on_an_expired_session_is_refused(settings):
    settings.SESSION_IDLE_TIMEOUT = 2
    holder = Holder.make("session")
    Session.objects.update(expire_date=timezone.now())

    async def scenario():
        comm = communicator(holder.asgi_headers())
        assert (await comm.connect())[0]
        assert await closed(comm) == (4401, "not_signed_in")
    run(scenario)


def test_opening_a_socket_does_not_keep_a_session_alive(settings):
    """Only the user's requests count as activity, not sockets opening."""
    settings.SESSION_IDLE_TIMEOUT = 2
    holder = Holder.make("session")
    before = Session.objects.get().expire_date

    async def scenario():
        loop = asyncio.get_running_loop()
        until = loop.time() + 1.5
        while loop.time() < until:
            comm = await opened(holder.asgi_headers())
            await comm.disconnect()
    run(scenario)
    assert Session.objects.get().expire_date == before


def test_frames_from_a_closed_socket_are_ignored():
    holder = Holder.make("session")

    async def scenario():
        comm = await opened(holder.asgi_headers())
        await database_sync_to_async(log_out)(holder)
        assert await closed(comm) == (4401, "logout")
        await comm.send_to(text_data=json.dumps({"action": "ping"}))
        assert await comm.receive_nothing(timeout=0.3)
    run(scenario)
