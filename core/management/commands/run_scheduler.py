"""`manage.py run_scheduler`: the deadline scheduler as its own process (production)."""

import asyncio
import contextlib
from typing import Any

from django.core.management.base import BaseCommand

from core import scheduler


class Command(BaseCommand):
    help = "Runs the deadline scheduler (votes, punishments, presence) until interrupted."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Scheduler running; Ctrl+C stops it.")
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(scheduler.run())
