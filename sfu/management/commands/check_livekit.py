"""`manage.py check_livekit`: can we reach LIVEKIT_URL with our keys? One line either way."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from django.core.management.base import BaseCommand, CommandError

from sfu import livekit


class Command(BaseCommand):
    help = "List the rooms open on LIVEKIT_URL, or explain in one line why that failed."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            names = async_to_sync(livekit.list_rooms)()
        except livekit.LiveKitUnavailable as exc:
            raise CommandError(str(exc)) from exc
        listed = ", ".join(sorted(names)) if names else "none open"
        self.stdout.write(f"LiveKit at {livekit.room_service_url()} answered; rooms: {listed}")
