"""`manage.py import_1x PATH/TO/distokoloshe.db [--dry-run] [--allow-existing-users]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from moderation.importer import ImportRefused, SourceError, import_1x, read_1x


class Command(BaseCommand):
    help = (
        "Import a 1.x database: users (ids, bcrypt hashes, display names, last rooms), rooms "
        "(creators, types, whispers mode, jails) and punishments. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="1.x's SQLite file (DATA_DIR/distokoloshe.db).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; write nothing."
        )
        parser.add_argument(
            "--allow-existing-users",
            action="store_true",
            help="Import even though this database has users that 1.x does not.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            database = read_1x(Path(options["path"]))
            summary = import_1x(
                database=database,
                now=timezone.now(),
                dry_run=options["dry_run"],
                allow_existing_users=options["allow_existing_users"],
            )
        except (SourceError, ImportRefused) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("\n".join(summary.lines()))
