"""End to end: a real WebSocket client against a running ASGI server, with
pushes through Redis (the production channel layer)."""

import json
import os
import time

import pytest
from channels.layers import channel_layers
from django.db import transaction
from websockets.exceptions import ConnectionClosed, InvalidStatus

from casehub.events.worker import drain
from notifications.inbox import store
from notifications.models import Notification, Preference
from tests.factories import token_for
from tests.transfers.helpers import CASES, as_, step

from .ends import CAUSES, Holder, short_lifetimes
from .helpers import send_transfer_to_police
from .live import PrivateRedis, asgi_server, ws_connect

pytestmark = pytest.mark.django_db(transaction=True)


def use_redis(settings, url):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                           "CONFIG": {"hosts": [url]}}}
    channel_layers.backends.clear()


@pytest.fixture
def redis_layer(settings):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("end-to-end pushes run on Redis (REDIS_URL)")
    use_redis(settings, url)
    yield
    channel_layers.backends.clear()


def receive(ws, wanted_type="notification", timeout=10):
    while True:
        frame = json.loads(ws.recv(timeout=timeout))
        if frame["type"] == wanted_type:
            return frame


def test_a_transfer_reaches_the_receiving_liaison_live_and_on_replay(api, cast, redis_layer):
    liaison_key, outsider_key = token_for(cast.police_liaison), token_for(cast.outsider)
    with asgi_server() as url:
        with ws_connect(url, token=liaison_key, last_id=0) as liaison, ws_connect(url, token=outsider_key,
                                                                                 last_id=0) as outsider:
            receive(liaison, "unread")
            receive(outsider, "unread")
            case_id, tid = send_transfer_to_police(api, cast)
            sent = receive(liaison)["notification"]
            assert sent["kind"] == "transfer_sent" and sent["case"] == case_id and sent["link"]["transfer_id"] == tid
            # An officer of an unrelated agency receives nothing.
            outsider.send(json.dumps({"action": "ping"}))
            assert json.loads(outsider.recv(timeout=5)) == {"type": "pong"}
        # Offline: the police refuse, the head asks them to reconsider.
        assert step(api, cast.police_liaison, tid, "refuse", reason="不符合立案追诉标准").status_code == 200
        assert step(api, cast.head, tid, "request_reconsideration", reason="货值已达标准").status_code == 200
        with ws_connect(url, token=liaison_key, last_id=sent["id"]) as liaison:
            replayed = receive(liaison)["notification"]
            assert replayed["kind"] == "transfer_reconsideration" and replayed["seq"] == sent["seq"] + 1


def test_an_unauthenticated_socket_is_closed_with_4401(cast, redis_layer):
    with asgi_server() as url:
        for kwargs in ({}, {"token": "not-a-token"}, {"origin": "http://localhost:8000"}):
            with ws_connect(url, **kwargs) as ws:  # the handshake succeeds: a browser sees the code
                assert closed_with(ws) == (4401, "not_signed_in")
        # Another site's page is refused at the handshake.
        with pytest.raises(InvalidStatus) as refused:
            ws_connect(url, origin="http://evil.example")
        assert refused.value.response.status_code == 403


def closed_with(ws, timeout=5) -> tuple[int, str]:
    """(code, reason) the server closed the socket with, within `timeout`
    seconds; no notification may come before."""
    deadline = time.monotonic() + timeout
    with pytest.raises(ConnectionClosed) as ended:
        while True:
            frame = json.loads(ws.recv(timeout=max(0.01, deadline - time.monotonic())))
            assert frame["type"] != "notification", frame
    return ended.value.rcvd.code, ended.value.rcvd.reason


def commit_notification(user):
    with transaction.atomic():
        store([Notification(recipient=user, kind="case_closed", text="通知", payload={"params": {"number": "1"}})])


@pytest.mark.parametrize("cause", list(CAUSES))
def test_the_socket_closes_with_its_credential_through_redis(cause, settings, redis_layer):
    """A real server, pushes and close instructions through Redis: the end
    is done in this thread (another process, for the server), as a request
    or the admin would do it."""
    by, end, code, reason, keep_active = CAUSES[cause]
    short_lifetimes(settings, cause)
    holder = Holder.make(by)
    with asgi_server() as url:
        with ws_connect(url, last_id=0, **holder.ws_kwargs()) as ws:
            receive(ws, "unread")
            commit_notification(holder.user)
            receive(ws)  # live
            if end is not None:
                end(holder)
            timeout = 5 + (settings.SESSION_IDLE_TIMEOUT if cause == "idle expiry" else 0)
            if keep_active:
                deadline = time.monotonic() + settings.SESSION_ABSOLUTE_LIFETIME + timeout
                while time.monotonic() < deadline:
                    holder.request()
                    try:
                        frame = json.loads(ws.recv(timeout=0.3))
                    except TimeoutError:
                        continue
                    except ConnectionClosed as ended:
                        assert (ended.rcvd.code, ended.rcvd.reason) == (code, reason)
                        break
                    assert frame["type"] != "notification"
                else:
                    pytest.fail("the socket outlived its absolute lifetime")
            else:
                assert closed_with(ws, timeout) == (code, reason)
            commit_notification(holder.user)  # published after the end
            with pytest.raises(ConnectionClosed):
                ws.recv(timeout=0.5)  # nothing was left for it


def test_redis_down_during_200_transitions_loses_nothing(api, cast, settings):
    """Redis stops; 200 transitions all succeed and each notification is in
    the inbox; when Redis is back, the connected client gets them all (the
    worker retries the pushes), and a reconnecting client replays them all,
    in order."""
    from casehub.models import Case

    redis = PrivateRedis()
    redis.start()
    use_redis(settings, redis.url)
    settings.NOTIFICATIONS_PUSH_TIMEOUT = 0.5
    watcher = cast.officer2  # hears of every decision and closing in the agency
    for kind in ("case_decided", "case_closed"):
        Preference.objects.create(user=watcher, kind=kind, scope="agency")
    cases = []
    for i in range(100):
        response = as_(api, cast.officer).post(CASES, {
            "title": f"断线测试案件{i}", "ip_type": "trademark", "kind": "administrative_penalty",
            "source": "inspection", "region": "420500", "handlers": ["liqiang"], "facts": "……",
        }, format="json")
        cases.append(response.json()["id"])
    Case.objects.filter(pk__in=cases).update(status="under_review")
    key = token_for(watcher)
    try:
        with asgi_server() as url:
            with ws_connect(url, token=key, last_id=0) as live:
                receive(live, "unread")
                before = Notification.objects.filter(recipient=watcher).count()
                listening = redis.subscriptions()
                redis.stop()
                for case_id in cases:
                    decided = as_(api, cast.head).post(f"{CASES}{case_id}/transitions/", {
                        "action": "decide", "outcome": "no_penalty", "decision_date": "2026-11-20",
                        "reason": "情节轻微并及时改正"}, format="json")
                    assert decided.status_code == 200, decided.content
                    closed = as_(api, cast.head).post(f"{CASES}{case_id}/transitions/", {
                        "action": "close", "summary": "结案"}, format="json")
                    assert closed.status_code == 200, closed.content
                mine = list(Notification.objects.filter(recipient=watcher).order_by("seq")[before:])
                assert len(mine) == 200 and {n.kind for n in mine} == {"case_decided", "case_closed"}
                redis.start()  # back, and empty
                redis.wait_for_subscriptions(listening)  # the server's layer reconnects in its own time
                from notifications import push

                push.resume_pushing()
                while drain():  # the worker retries the queued pushes
                    pass
                got = [receive(live)["notification"]["id"] for _ in range(200)]
                assert got == [n.pk for n in mine]
            with ws_connect(url, token=key, last_id=mine[0].pk) as again:
                replay = [receive(again)["notification"]["id"] for _ in range(199)]
                assert replay == [n.pk for n in mine[1:]]
    finally:
        redis.stop()
        channel_layers.backends.clear()
