"""`manage.py init_secrets [--dev] [--path .env]`: write a fresh .env with long random secrets."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

# What `livekit-server --dev` accepts, so a laptop needs no LiveKit configuration at all.
DEV_LIVEKIT = {
    "LIVEKIT_API_KEY": "devkey",
    "LIVEKIT_API_SECRET": "secret",
    "LIVEKIT_URL": "ws://127.0.0.1:7880",
    "LIVEKIT_PUBLIC_URL": "ws://127.0.0.1:7880",
}


def env_lines(*, dev: bool) -> list[str]:
    """The .env content: fresh random secrets, plus debug and dev LiveKit settings for --dev."""
    values = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "JWT_SECRET": secrets.token_urlsafe(48),
        "E2EE_SECRET": secrets.token_urlsafe(48),
        "LIVEKIT_API_KEY": "API" + secrets.token_hex(8),
        "LIVEKIT_API_SECRET": secrets.token_urlsafe(32),
    }
    if dev:
        values = {"DJANGO_DEBUG": "1", **values, **DEV_LIVEKIT}
    header = [
        "# Written by `manage.py init_secrets`. Keep this file private; every variable is",
        "# described in .env.example.",
    ]
    return header + [f"{name}={value}" for name, value in values.items()]


class Command(BaseCommand):
    help = "Write a fresh .env with long random secrets (refuses to overwrite an existing one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Also turn on DJANGO_DEBUG and use `livekit-server --dev`'s keys and URL.",
        )
        parser.add_argument(
            "--path", default=str(Path(settings.BASE_DIR) / ".env"), help="Where to write."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        content = "\n".join(env_lines(dev=options["dev"])) + "\n"
        try:
            # O_EXCL: never overwrite, even if another process writes the file meanwhile.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise CommandError(f"{path} already exists; not overwriting it.") from exc
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        self.stdout.write(f"Wrote {path}{' (development settings)' if options['dev'] else ''}.")
