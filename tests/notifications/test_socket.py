"""/ws/notifications/ with channels' WebsocketCommunicator, on whichever
channel layer the run uses (in-memory, or Redis in CI)."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers

from notifications.models import Notification
from tests.factories import AgencyFactory, UserFactory, member, token_for

from .socket_helpers import (
    ORIGIN, communicator, frames_until, notifications, notify, opened, refused, run, session_headers, token_headers,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_layer(settings):
    settings.NOTIFICATIONS_RESUME_GRACE = 0.2
    channel_layers.backends.clear()  # a layer per test: no groups left from another test's loop
    yield
    channel_layers.backends.clear()


@pytest.fixture
def people():
    agency = AgencyFactory()
    return member(agency, username="alice"), member(agency, username="bob")


@pytest.mark.parametrize("headers", [
    [ORIGIN],  # nobody
    [(b"cookie", b"sessionid=forged"), ORIGIN],  # no such session
    token_headers("chk_not-a-real-key"),  # unknown token
    [(b"authorization", b"Bearer")],  # malformed header
])
def test_unauthenticated_sockets_are_accepted_then_closed_with_4401(headers):
    async def scenario():
        assert await refused(headers) == (4401, "not_signed_in")
    run(scenario)


def test_a_user_of_no_agency_is_closed_with_4403():
    lonely = UserFactory(username="lonely")
    browser, system = session_headers(lonely), token_headers(token_for(lonely))

    async def scenario():
        assert await refused(browser) == (4403, "no_agency")
        assert await refused(system) == (4403, "no_agency")
    run(scenario)


def test_a_platform_administrator_needs_no_agency():
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    browser = session_headers(admin)

    async def scenario():
        comm = await opened(browser)
        await comm.disconnect()
    run(scenario)


def test_a_session_needs_a_browser_origin_of_ours(people):
    alice, _ = people
    no_browser = session_headers(alice, origin=None)
    cross_site = session_headers(alice, (b"origin", b"http://evil.example"))
    browser = session_headers(alice)

    async def scenario():
        # No Origin: no browser, so a cookie alone signs nobody in.
        assert await refused(no_browser) == (4401, "not_signed_in")
        # Another site's page using the user's cookie: refused at the handshake.
        comm = communicator(cross_site)
        connected, _ = await comm.connect()
        assert not connected
        comm = communicator(browser)
        connected, _ = await comm.connect()
        assert connected
        await comm.disconnect()
    run(scenario)


def test_a_revoked_token_is_refused_a_valid_one_accepted(people):
    alice, _ = people
    key = token_for(alice)

    async def scenario():
        comm = communicator(token_headers(key))
        connected, _ = await comm.connect()
        assert connected
        await comm.disconnect()
        await database_sync_to_async(lambda: alice.api_tokens.update(revoked_at="2026-01-01T00:00:00Z"))()
        assert await refused(token_headers(key)) == (4401, "not_signed_in")
    run(scenario)


def test_live_pushes_reach_only_their_recipient(people):
    alice, bob = people
    browser, system = session_headers(alice), token_headers(token_for(bob))

    async def scenario():
        a = communicator(browser, "last_id=0")
        b = communicator(system, "last_id=0")
        assert (await a.connect())[0] and (await b.connect())[0]
        assert json.loads(await a.receive_from()) == {"type": "unread", "count": 0}
        assert json.loads(await b.receive_from()) == {"type": "unread", "count": 0}
        ids = await notify(alice, 2)
        got = await notifications(a, 2)
        assert [n["id"] for n in got] == ids and [n["seq"] for n in got] == [1, 2]
        assert await b.receive_nothing(timeout=0.3)
        await a.disconnect()
        await b.disconnect()
    run(scenario)


def test_reconnecting_with_the_last_id_replays_what_was_missed_in_order(people):
    alice, _ = people
    browser = session_headers(alice)

    async def scenario():
        first = await notify(alice, 1)
        missed = await notify(alice, 3)  # while offline
        comm = communicator(browser, f"last_id={first[0]}")
        assert (await comm.connect())[0]
        got = await notifications(comm, 3)
        assert [n["id"] for n in got] == missed
        # The first frame may say it instead of the URL.
        again = communicator(browser)
        assert (await again.connect())[0]
        await again.send_json_to({"action": "resume", "last_id": missed[0]})
        assert [n["id"] for n in await notifications(again, 2)] == missed[1:]
        # Live after the replay, with nothing twice.
        new = await notify(alice, 1)
        assert [n["id"] for n in await notifications(again, 1)] == new
        assert [n["id"] for n in await notifications(comm, 1)] == new
        assert await comm.receive_nothing(timeout=0.3)
        await comm.disconnect()
        await again.disconnect()
    run(scenario)


def test_a_socket_that_says_nothing_goes_live(people):
    alice, _ = people
    browser = session_headers(alice)

    async def scenario():
        await notify(alice, 2)  # history: the REST inbox has it
        comm = communicator(browser)
        assert (await comm.connect())[0]
        assert json.loads(await comm.receive_from()) == {"type": "unread", "count": 2}
        new = await notify(alice, 1)
        got = await notifications(comm, 1)
        assert [n["id"] for n in got] == new
        await comm.disconnect()
    run(scenario)


def test_mark_read_over_the_socket(people):
    alice, bob = people
    browser = session_headers(alice)

    async def scenario():
        mine = await notify(alice, 2)
        theirs = await notify(bob, 1)
        comm = await opened(browser, f"last_id={mine[-1]}")
        await comm.send_json_to({"action": "mark_read", "id": mine[0]})
        frames = await frames_until(comm, lambda f: f["type"] == "unread")
        assert {"type": "read", "changed": 1} in frames and frames[-1]["count"] == 1
        # Another user's notification: an error, and it stays unread.
        await comm.send_json_to({"action": "mark_read", "id": theirs[0]})
        error = json.loads(await comm.receive_from())
        assert error["type"] == "error" and error["code"] == "not_found"
        await comm.send_json_to({"action": "mark_all_read"})
        frames = await frames_until(comm, lambda f: f["type"] == "unread")
        assert frames[-1]["count"] == 0
        await comm.disconnect()

    run(scenario)
    assert Notification.objects.get(pk__in=Notification.objects.filter(recipient=bob).values("pk")).read_at is None
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()


@pytest.mark.parametrize("frame, code", [
    ("not json", "bad_json"),
    ("[1, 2]", "bad_frame"),
    ('{"action": "dance"}', "unknown_action"),
    ('{"action": 7}', "bad_frame"),
    ('{"action": "mark_read", "id": "x"}', "bad_id"),
    ('{"action": "mark_read", "id": 99999999999999999999999}', "bad_id"),
    ('{"action": "resume", "last_id": 987654321}', "not_found"),
])
def test_bad_frames_get_an_error_frame_and_the_socket_lives_on(people, frame, code):
    alice, _ = people
    browser = session_headers(alice)

    async def scenario():
        comm = await opened(browser)
        await comm.send_to(text_data=frame)
        error = json.loads(await comm.receive_from())
        assert error["type"] == "error" and error["code"] == code
        await comm.send_json_to({"action": "ping"})
        assert json.loads(await comm.receive_from()) == {"type": "pong"}
        await comm.disconnect()
    run(scenario)


def test_a_binary_frame_is_an_error_a_huge_frame_closes(people):
    alice, _ = people
    browser = session_headers(alice)

    async def scenario():
        comm = await opened(browser)
        await comm.send_to(bytes_data=b"\x00\x01")
        assert json.loads(await comm.receive_from())["code"] == "bad_frame"
        await comm.send_to(text_data='{"action": "ping", "pad": "' + "x" * 100_000 + '"}')
        closed = await comm.receive_output(timeout=2)
        assert closed == {"type": "websocket.close", "code": 1009}
    run(scenario)


def test_a_lost_push_still_arrives_by_the_resync(people, settings, monkeypatch):
    """A process that died after commit never pushed: the socket's periodic
    check against the inbox delivers it anyway."""

    settings.NOTIFICATIONS_RESYNC_SECONDS = 0.2
    alice, _ = people
    browser = session_headers(alice)

    async def scenario():
        comm = await opened(browser, "last_id=0")
        monkeypatch.setattr("notifications.push.push_on_commit", lambda rows: None)
        lost = await notify(alice, 2)
        got = await notifications(comm, 2, timeout=3)
        assert [n["id"] for n in got] == lost
        await comm.disconnect()
    run(scenario)


def test_a_failed_push_is_queued_and_retried_by_the_worker(people, monkeypatch):
    from casehub.events.worker import drain
    from casehub.models import OutboxMessage
    from notifications import push

    alice, _ = people
    browser = session_headers(alice)
    real_send = push.send

    async def broken(rows):
        raise ConnectionError("redis is down")

    async def scenario():
        comm = await opened(browser, "last_id=0")
        monkeypatch.setattr(push, "send", broken)
        ids = await notify(alice, 2)  # the commit succeeds; the push fails
        assert await comm.receive_nothing(timeout=0.3)
        queued = await database_sync_to_async(
            lambda: list(OutboxMessage.objects.filter(subscriber="notifications.push").values_list("payload", flat=True)))()
        assert queued == [{"ids": ids}]
        monkeypatch.setattr(push, "send", real_send)
        await database_sync_to_async(drain)()  # the worker, once Redis is back
        assert [n["id"] for n in await notifications(comm, 2)] == ids
        await comm.disconnect()
    run(scenario)
