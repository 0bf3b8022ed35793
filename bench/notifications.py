"""Issue 6: 1,000 connected WebSocket clients, an event every 10 ms for
10 s (each telling 10 users), in one run on loopback: commit-to-receipt p50
and p99 and messages lost, for casehub (uvicorn + Channels on Redis, the
inbox committed in PostgreSQL) and, as the baseline, a bare websockets +
Redis pub/sub broadcaster measured the same way."""

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time

from .common import Verdicts, p

CLIENTS = 1000
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bench_users(count: int) -> tuple[list[int], dict[int, str]]:
    """`count` officers of a bench agency, each with a fresh token, and an
    empty inbox."""
    from agencies.models import Agency, ApiToken, Membership, Region, User
    from notifications.models import Inbox, Notification

    region = Region.objects.get(code="420500")
    agency, _ = Agency.objects.get_or_create(code="BENCH-NOTIFY", defaults={
        "name": "通知基准测试单位", "short_name": "基准", "kind": "market_supervision", "region": region})
    existing = set(User.objects.filter(username__startswith="bench-notify-").values_list("username", flat=True))
    new = [User(username=f"bench-notify-{i}", full_name=f"基准用户{i}") for i in range(count)
           if f"bench-notify-{i}" not in existing]
    User.objects.bulk_create(new)
    users = list(User.objects.filter(username__startswith="bench-notify-").order_by("pk")[:count])
    have = set(Membership.objects.filter(agency=agency).values_list("user_id", flat=True))
    Membership.objects.bulk_create([Membership(user=u, agency=agency, role="officer") for u in users if u.pk not in have])
    ids = [u.pk for u in users]
    Notification.objects.filter(recipient_id__in=ids).delete()
    Inbox.objects.filter(user_id__in=ids).delete()
    ApiToken.objects.filter(user_id__in=ids).delete()
    keys = {u.pk: ApiToken.issue(user=u, name="bench")[1] for u in users}
    return ids, keys


def _start(cmd, env=None, ready=None, port=None):
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 30
    import socket

    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{cmd[0]} exited: {process.stdout.read()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{' '.join(cmd)} did not start")


async def _clients(urls_and_headers, expected: int, producer_cmd, env=None, settle: float = 5.0):
    """Connect every client, run the producer, and collect receipt times
    until all expected messages arrived or `settle` seconds passed after
    the producer finished."""
    from websockets.asyncio.client import connect

    received: dict[int, float] = {}
    sockets = []
    gate = asyncio.Semaphore(50)  # connect 50 at a time

    async def open_one(url, headers):
        async with gate:
            ws = await connect(url, additional_headers=headers, open_timeout=30, max_queue=None)
        sockets.append(ws)
        async for raw in ws:
            frame = json.loads(raw)
            if frame.get("type") == "notification":
                received.setdefault(frame["notification"]["id"], time.time())

    tasks = [asyncio.create_task(open_one(url, headers)) for url, headers in urls_and_headers]
    while len(sockets) < len(tasks):
        failed = [t for t in tasks if t.done() and t.exception()]
        if failed:
            raise failed[0].exception()
        await asyncio.sleep(0.1)
    await asyncio.sleep(1)  # let every socket settle (resume, unread frame)
    producer = await asyncio.create_subprocess_exec(*producer_cmd, env=env)
    await producer.wait()
    deadline = time.monotonic() + settle
    while len(received) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    for ws in sockets:
        await ws.close()
    for t in tasks:
        t.cancel()
    return received


def _measure(label, stamps_file, received):
    with open(stamps_file) as f:
        stamps = {int(k): v for k, v in json.load(f).items()}
    latencies = [received[i] - t for i, t in stamps.items() if i in received]
    lost = len(stamps) - len(latencies)
    p50, p99 = p(latencies, 0.5), p(latencies, 0.99)
    print(f"  {label:9} {len(stamps):,} messages  p50 {p50 * 1000:7.2f} ms  p90 {p(latencies, .9) * 1000:7.2f} ms  "
          f"p99 {p99 * 1000:7.2f} ms  max {max(latencies) * 1000:7.2f} ms  lost {lost}")
    if os.environ.get("BENCH_VERBOSE"):
        ordered = [received[i] - stamps[i] for i in sorted(stamps) if i in received]
        tenth = max(len(ordered) // 10, 1)
        print("    p50 by tenth of the run (ms):",
              " ".join(f"{p(ordered[k:k + tenth], .5) * 1000:.1f}" for k in range(0, len(ordered), tenth)))
    return p50, p99, lost


def run(verdicts: Verdicts, clients: int = CLIENTS) -> None:

    from .notify_producer import DURATION, FANOUT, INTERVAL

    ids, keys = _bench_users(clients)
    events = int(DURATION / INTERVAL)
    print(f"\n[notifications] {clients:,} WebSocket clients; an event every {INTERVAL * 1000:.0f} ms for "
          f"{DURATION:.0f} s, each to {FANOUT} users ({events * FANOUT:,} messages); Redis {REDIS_URL}")
    tmp = tempfile.mkdtemp(prefix="casehub-bench-")
    users_file = os.path.join(tmp, "users.json")
    with open(users_file, "w") as f:
        json.dump(ids, f)
    results = {}

    # casehub: uvicorn serving the ASGI app on the bench database and Redis.
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": REDIS_URL, "DEBUG": "0",
           "DJANGO_SETTINGS_MODULE": "casehub.settings", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = _start([sys.executable, "-m", "uvicorn", "casehub.asgi:application", "--port", str(port),
                     "--log-level", "warning", "--ws", "websockets-sansio", "--ws-max-size", "65536"],
                    env=env, port=port)
    try:
        url = f"ws://127.0.0.1:{port}/ws/notifications/?last_id=0"
        out = os.path.join(tmp, "casehub.json")
        received = asyncio.run(_clients(
            [(url, {"Authorization": f"Bearer {keys[u]}"}) for u in ids], events * FANOUT,
            [sys.executable, "-m", "bench.notify_producer", "casehub", users_file, out], env=env))
        results["casehub"] = _measure("casehub", out, received)
    finally:
        server.terminate()
        server.wait(10)

    # Baseline: websockets + Redis pub/sub, nothing else.
    port = _free_port()
    server = _start([sys.executable, "-m", "bench.ws_baseline", str(port), REDIS_URL], port=port)
    try:
        out = os.path.join(tmp, "baseline.json")
        received = asyncio.run(_clients(
            [(f"ws://127.0.0.1:{port}/?user={u}", {}) for u in ids], events * FANOUT,
            [sys.executable, "-m", "bench.notify_producer", "baseline", users_file, out, REDIS_URL]))
        results["baseline"] = _measure("baseline", out, received)
    finally:
        server.terminate()
        server.wait(10)

    (c50, c99, lost), (b50, b99, _) = results["casehub"], results["baseline"]
    print(f"  ratio casehub / baseline: p50 {c50 / b50:.2f}, p99 {c99 / b99:.2f}")
    verdicts.check("(notifications) messages lost", lost, "== 0", lost == 0)
