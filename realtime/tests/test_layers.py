"""The embedded channel layer: one event to many sockets without a sweep per receive."""

from __future__ import annotations

import asyncio

from channels.layers import InMemoryChannelLayer as StockLayer
from django.conf import settings

from realtime.layers import InMemoryChannelLayer

MESSAGE = {"type": "event.relay", "event": "user:room_join", "data": "{}", "exclude": None}


async def _fan_out(layer: InMemoryChannelLayer, count: int) -> list[dict[str, object]]:
    channels = [await layer.new_channel() for _ in range(count)]
    for channel in channels:
        await layer.group_add("everyone", channel)
    waiting = [asyncio.ensure_future(layer.receive(channel)) for channel in channels]
    await asyncio.sleep(0)
    await layer.group_send("everyone", MESSAGE)
    return list(await asyncio.wait_for(asyncio.gather(*waiting), 5))


def test_the_embedded_defaults_use_this_layer():
    # Tests run on the same class, so the consumer tests exercise it too.
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "realtime.layers.InMemoryChannelLayer"


async def test_one_event_to_many_sockets_sweeps_at_most_once(monkeypatch):
    sweeps = []
    stock_sweep = StockLayer._clean_expired
    monkeypatch.setattr(StockLayer, "_clean_expired", lambda self: sweeps.append(stock_sweep(self)))
    layer = InMemoryChannelLayer()

    received = await _fan_out(layer, 300)

    assert received == [MESSAGE] * 300
    assert len(sweeps) == 1


async def test_expired_messages_are_still_dropped_once_the_interval_passes(monkeypatch):
    monkeypatch.setattr(InMemoryChannelLayer, "SWEEP_INTERVAL", 1.0)
    layer = InMemoryChannelLayer(expiry=0.1)
    channel = await layer.new_channel()
    await layer.group_add("everyone", channel)
    await layer.send(channel, MESSAGE)
    await layer.group_send("nobody", MESSAGE)  # the first sweep: nothing has expired yet
    swept = asyncio.get_running_loop().time()

    await asyncio.sleep(0.2)
    await layer.group_send("nobody", MESSAGE)
    assert channel in layer.channels  # expired, but the next sweep is not due yet

    await asyncio.sleep(max(0.0, swept + 1.1 - asyncio.get_running_loop().time()))
    await layer.group_send("nobody", MESSAGE)
    # The stale message is gone and its channel left the group, as with the stock layer.
    assert channel not in layer.channels
    assert channel not in layer.groups.get("everyone", {})


async def test_each_member_gets_its_own_copy_and_a_full_queue_misses_only_its_own():
    layer = InMemoryChannelLayer(capacity=1)
    slow, fast = await layer.new_channel(), await layer.new_channel()
    for channel in (slow, fast):
        await layer.group_add("everyone", channel)
    await layer.send(slow, MESSAGE)  # its queue is now full

    await layer.group_send("everyone", {**MESSAGE, "data": "second"})

    got = await layer.receive(fast)
    got["data"] = "changed by one consumer"
    assert (await layer.receive(slow))["data"] == "{}"
    nested = {"type": "x", "payload": {"list": [1]}}
    await layer.send(fast, nested)
    copy = await layer.receive(fast)
    copy["payload"]["list"].append(2)
    assert nested == {"type": "x", "payload": {"list": [1]}}
