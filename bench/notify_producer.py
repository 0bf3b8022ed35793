"""The event source of the notifications benchmark, in its own process: an
event every INTERVAL seconds for DURATION seconds, each telling FANOUT of
the connected users. Writes {notification id: commit time} as JSON.

    python -m bench.notify_producer casehub|baseline USERS_JSON OUT_JSON"""

import json
import sys
import time

INTERVAL, DURATION, FANOUT = 0.010, 10.0, 10


def recipients(k: int, users: list) -> list:
    return [users[(k * FANOUT + j) % len(users)] for j in range(FANOUT)]


def paced(events: int):
    """Yield event numbers on a fixed schedule (late ones go at once)."""
    start = time.perf_counter()
    for k in range(events):
        delay = start + k * INTERVAL - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        yield k


def casehub(users: list, out: str) -> None:
    from .common import setup_django

    setup_django()
    from django.db import transaction

    from notifications.inbox import store
    from notifications.models import Notification

    stamps = {}
    for k in paced(int(DURATION / INTERVAL)):
        committed = []
        with transaction.atomic():
            # Registered before store()'s push: runs first, right at commit.
            transaction.on_commit(lambda stamps=committed: stamps.append(time.time()))
            rows = store([Notification(recipient_id=u, kind="case_closed", text=f"基准通知{k}",
                                       payload={"params": {"number": str(k)}}) for u in recipients(k, users)])
        for row in rows:
            stamps[row.pk] = committed[0]
    with open(out, "w") as f:
        json.dump(stamps, f)


def baseline(users: list, out: str, redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    stamps, next_id = {}, 0
    for k in paced(int(DURATION / INTERVAL)):
        pipe = client.pipeline(transaction=False)
        now = time.time()
        for u in recipients(k, users):
            next_id += 1
            stamps[next_id] = now
            pipe.publish(f"bench.user.{u}", json.dumps({"type": "notification", "notification": {"id": next_id}}))
        pipe.execute()
    with open(out, "w") as f:
        json.dump(stamps, f)


if __name__ == "__main__":
    mode, users_file, out = sys.argv[1:4]
    with open(users_file) as f:
        users = json.load(f)
    if mode == "casehub":
        casehub(users, out)
    else:
        baseline(users, out, sys.argv[4])
