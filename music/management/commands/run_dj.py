"""`manage.py run_dj`: DJ Tokoloshe, a LiveKit participant playing music into every room whose
creator turned music on (see music.bot.dj)."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from music.bot.dj import DJ

# The SDK's native side finishes its own teardown after a disconnect; exiting before it has
# aborts the process.
TEARDOWN_SECONDS = 0.5


class Command(BaseCommand):
    help = "Runs DJ Tokoloshe: joins each room with music on and plays its radio or queue."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.MUSIC_IN_PROCESS:
            # Two DJs with one identity would take each other's place in every room.
            raise CommandError("MUSIC_IN_PROCESS is on: the app process already runs the DJ.")
        if not settings.REDIS_URL:
            # Its music:status events reach pages only through Redis (realtime.hub).
            raise CommandError("run_dj needs REDIS_URL: its events reach pages through Redis.")
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        asyncio.run(self._run())

    async def _run(self) -> None:
        dj = DJ()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, dj.stop)
        self.stdout.write("DJ Tokoloshe is listening for rooms with music on.")
        self.stdout.flush()
        await dj.run()
        await asyncio.sleep(TEARDOWN_SECONDS)
