"""`manage.py init_secrets [--dev] [--from-1x 1.x/.env] [--path .env]`: write a fresh .env with
long random secrets, or with 1.x's where people's tokens and calls depend on them."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

# Without these 1.x would not start, so a file lacking one is not the 1.x server's environment.
ONE_X_REQUIRED = ("JWT_SECRET", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET")


def env_lines(*, dev: bool, carried: Mapping[str, str] | None = None) -> list[str]:
    """The .env content: fresh random secrets, plus debug for --dev, then whatever is `carried`
    over from 1.x in their place. The LiveKit keys are ours either way: `./bin/dev` writes the
    SFU's config from them (`write_livekit_config`)."""
    values = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "JWT_SECRET": secrets.token_urlsafe(48),
        "E2EE_SECRET": secrets.token_urlsafe(48),
        "LIVEKIT_API_KEY": "API" + secrets.token_hex(8),
        "LIVEKIT_API_SECRET": secrets.token_urlsafe(32),
    }
    if dev:
        values = {"DJANGO_DEBUG": "1", **values}
    values.update(carried or {})
    header = [
        "# Written by `manage.py init_secrets`. Keep this file private; every variable is",
        "# described in .env.example.",
    ]
    return header + [f"{name}={value}" for name, value in values.items()]


def _read_env_file(path: Path) -> dict[str, str]:
    # The same parser as our settings, so a value reads here as it will when the server starts.
    class FileOnly(environ.Env):  # type: ignore[misc]
        ENVIRON: dict[str, str] = {}

    try:
        with path.open(encoding="utf-8") as handle:
            FileOnly.read_env(handle, overwrite=True)
    except OSError as exc:
        raise CommandError(f"Cannot read 1.x's environment file {path}: {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is not a text file of NAME=value lines.") from exc
    return FileOnly.ENVIRON


def secrets_from_1x(path: Path) -> tuple[dict[str, str], list[str]]:
    """The values to carry over from 1.x's .env, and what to tell the operator about them."""
    found = {name: value.strip() for name, value in _read_env_file(path).items()}
    missing = [name for name in ONE_X_REQUIRED if not found.get(name)]
    if missing:
        raise CommandError(
            f"{path} does not set {', '.join(missing)}; 1.x refused to start without "
            "them, so this is not the environment 1.x ran with."
        )
    carried = {name: found[name] for name in ONE_X_REQUIRED}
    notes = []
    if found.get("E2EE_SECRET"):
        carried["E2EE_SECRET"] = found["E2EE_SECRET"]
    else:
        # 1.x derived room keys from JWT_SECRET when E2EE_SECRET was empty (its default).
        carried["E2EE_SECRET"] = found["JWT_SECRET"]
        notes.append(
            "1.x left E2EE_SECRET empty and derived room keys from JWT_SECRET, so E2EE_SECRET "
            "is set to that same value: calls keep their keys across the switch. Once everyone "
            "has rejoined through this server, give E2EE_SECRET a value of its own (room keys "
            "change at the next join)."
        )
    if found.get("SERVER_CITY"):
        carried["SERVER_CITY"] = found["SERVER_CITY"]
    return carried, notes


class Command(BaseCommand):
    help = "Write a fresh .env with long random secrets (refuses to overwrite an existing one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Also turn on DJANGO_DEBUG (for ./bin/dev on a laptop).",
        )
        parser.add_argument(
            "--from-1x",
            metavar="ENV_FILE",
            help="1.x's .env: keep its JWT_SECRET (tokens stay valid), its room-key secret "
            "(E2EE_SECRET, or JWT_SECRET where 1.x left it empty), its LiveKit key pair and "
            "SERVER_CITY.",
        )
        parser.add_argument(
            "--path", default=str(Path(settings.BASE_DIR) / ".env"), help="Where to write."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        carried, notes = (
            secrets_from_1x(Path(options["from_1x"])) if options["from_1x"] else ({}, [])
        )
        content = "\n".join(env_lines(dev=options["dev"], carried=carried)) + "\n"
        try:
            # O_EXCL: never overwrite, even if another process writes the file meanwhile.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise CommandError(f"{path} already exists; not overwriting it.") from exc
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        self.stdout.write(f"Wrote {path}{' (development settings)' if options['dev'] else ''}.")
        if carried:
            self.stdout.write(f"Carried over from {options['from_1x']}: {', '.join(carried)}.")
        for note in notes:
            self.stdout.write(note)
