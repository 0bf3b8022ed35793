"""The baseline broadcaster for the notifications benchmark: a bare
websockets server relaying Redis pub/sub messages to each user's sockets,
with no authentication, database or framework.

    python -m bench.ws_baseline PORT REDIS_URL"""

import asyncio
import sys
from urllib.parse import parse_qs, urlsplit


async def main(port: int, redis_url: str) -> None:
    import redis.asyncio as redis
    from websockets.asyncio.server import serve

    sockets: dict[str, set] = {}

    async def handler(ws):
        user = parse_qs(urlsplit(ws.request.path).query).get("user", [""])[0]
        sockets.setdefault(user, set()).add(ws)
        try:
            await ws.wait_closed()
        finally:
            sockets[user].discard(ws)

    async def relay():
        pubsub = redis.from_url(redis_url).pubsub()
        await pubsub.psubscribe("bench.user.*")
        async for message in pubsub.listen():
            if message["type"] != "pmessage":
                continue
            user = message["channel"].decode().rsplit(".", 1)[1]
            for ws in list(sockets.get(user, ())):
                try:
                    await ws.send(message["data"].decode())
                except Exception:  # noqa: BLE001 — a closed socket
                    pass

    async with serve(handler, "127.0.0.1", port, max_queue=None):
        print("ready", flush=True)
        await relay()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
