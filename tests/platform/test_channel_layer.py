"""The configured channel layer carries messages: the in-memory layer by
default, Redis pub/sub when REDIS_URL is set (as in CI)."""

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings


async def _round_trip(group: str, payload: dict) -> dict:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    try:
        await layer.group_send(group, {"type": "probe", **payload})
        return await layer.receive(channel)
    finally:
        await layer.group_discard(group, channel)


def test_group_message_round_trip():
    token = uuid.uuid4().hex
    received = async_to_sync(_round_trip)(f"probe-{token}", {"token": token, "text": "移送已接收"})
    assert received == {"type": "probe", "token": token, "text": "移送已接收"}


def test_layer_matches_the_environment():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if settings.REDIS_URL:
        assert backend == "channels_redis.pubsub.RedisPubSubChannelLayer"
        assert settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] == [settings.REDIS_URL]
    else:
        assert backend == "channels.layers.InMemoryChannelLayer"
