"""A real ASGI server (uvicorn, in a thread of the test process so that it
shares the test database) and a private Redis that a test may stop."""

import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def asgi_server():
    import uvicorn

    from casehub.asgi import application

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off", ws="websockets-sansio"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the ASGI server did not start")
        time.sleep(0.05)
    try:
        yield f"ws://127.0.0.1:{port}/ws/notifications/"
    finally:
        server.should_exit = True
        thread.join(10)


class PrivateRedis:
    """A redis-server of the test's own, on a free loopback port: stopping
    it is an outage nobody else feels. Started again on the same port it is
    empty, as after a crash."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def subscriptions(self) -> set[str]:
        """The pub/sub channels someone listens on now."""
        import redis

        client = redis.Redis.from_url(self.url)
        try:
            return {c.decode() for c in client.pubsub_channels()}
        finally:
            client.close()

    def wait_for_subscriptions(self, channels: set[str], timeout: float = 10) -> None:
        """Until the servers have subscribed to these channels again (after a
        restart the layer reconnects in its own time; a push published before
        that reaches nobody, and only the periodic resync would bring it)."""
        deadline = time.monotonic() + timeout
        while not channels <= self.subscriptions():
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not subscribe again")
            time.sleep(0.05)

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self):
        if self.process:
            self.process.kill()
            self.process.wait(5)
            self.process = None


def ws_connect(url, *, token=None, last_id=None, cookie=None, origin=None):
    from websockets.sync.client import connect

    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if cookie:
        headers["Cookie"] = cookie
    query = f"?last_id={last_id}" if last_id is not None else ""
    return connect(url + query, additional_headers=headers, origin=origin, open_timeout=5)
