"""The channel layer of a single process without Redis (the embedded defaults)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from copy import deepcopy
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):  # type: ignore[misc]
    """Channels' in-memory layer, made linear for one event sent to many sockets.

    The stock layer sweeps every queue and group membership for expired entries on each send
    and receive, so one event to N sockets cost O(N²): a second for 500 sockets, over a minute
    for 5000. Here the sweep runs at most once per SWEEP_INTERVAL (expiry is a minute, group
    entries a day, so nothing is kept noticeably longer). A group send also puts the message in
    each queue directly instead of through a task per member, and copies a flat message (every
    event relay is one: strings and None) with `dict()` instead of `deepcopy`."""

    SWEEP_INTERVAL = 1.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._swept_at = float("-inf")

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._swept_at < self.SWEEP_INTERVAL:
            return
        self._swept_at = now
        super()._clean_expired()

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        queue = self.channels.setdefault(channel, asyncio.Queue(maxsize=self.get_capacity(channel)))
        flat = all(
            value is None or isinstance(value, str | int | float) for value in message.values()
        )
        try:
            queue.put_nowait(
                (time.time() + self.expiry, dict(message) if flat else deepcopy(message))
            )
        except asyncio.QueueFull as exc:
            raise ChannelFull(channel) from exc

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, ())):
            # As the stock layer: a socket too slow to keep up misses events, not the others.
            with contextlib.suppress(ChannelFull):
                await self.send(channel, message)
