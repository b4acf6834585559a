"""The channel layer of a single process without Redis (the embedded defaults)."""

from __future__ import annotations

import time
from typing import Any

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):  # type: ignore[misc]
    """Channels' in-memory layer, sweeping for expired messages and group entries at most once
    per SWEEP_INTERVAL seconds instead of on every send and receive.

    The stock sweep walks every queue and every group membership, and each socket's receive
    ran it, so one event to N sockets cost O(N²): a second for 500 sockets, over a minute for
    5000. Expiry is a minute (group entries: a day), so sweeping once a second loses nothing."""

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
