"""`manage.py create_room NAME [--type video] [--creator USERNAME]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from core.errors import ApiError
from rooms.services.rooms import room_create


class Command(BaseCommand):
    help = "Create a room with the same rules as the API (and announce it to connected clients)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--type", choices=["voice", "video"], default="voice")
        parser.add_argument(
            "--creator", help="Username of the creator (who may delete it); none by default."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        creator = None
        if options["creator"]:
            creator = User.objects.filter(username__iexact=options["creator"]).first()
            if creator is None:
                raise CommandError(f"No user named {options['creator']!r}.")
        try:
            room = room_create(user=creator, name=options["name"], type=options["type"])
        except ApiError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Created {room.type} room {room.name!r} (id {room.pk}).")
