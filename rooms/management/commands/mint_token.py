"""`manage.py mint_token USERNAME ROOM`: print a LiveKit token for debugging a connection."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from core.errors import ApiError
from rooms.models import Room
from rooms.services.membership import room_credentials


class Command(BaseCommand):
    help = "Print the LiveKit token a user would get for a room (by name or id); changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("room", help="Room name (exact) or id")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        raw = options["room"]
        room = Room.objects.filter(name=raw).first()
        if room is None and raw.isdigit():
            room = Room.objects.filter(pk=int(raw)).first()
        if room is None:
            raise CommandError(f"No room named {raw!r}.")
        try:
            credentials = room_credentials(room=room, user=user)
        except ApiError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(credentials["token"])
