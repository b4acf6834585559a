"""`manage.py createsuperuser`: Django's, with the display name defaulting to the username.

Without --display_name (or DJANGO_SUPERUSER_DISPLAY_NAME), `--noinput` used to stop with
"You must use --display_name with --noinput"; a name to show in rooms is no reason to fail an
unattended set-up. Interactively, the prompt offers the username the same way. A username
taken in another case is refused as taken, as registration does.
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth.management.commands import createsuperuser
from django.db.models import Field
from django.utils.functional import cached_property

from accounts.models import User

DISPLAY_NAME = "display_name"


class Command(createsuperuser.Command):
    _username: str | None = None

    @cached_property
    def username_is_unique(self) -> bool:
        # It is, regardless of case, through a constraint on Lower(username) that Django's
        # check does not recognise; without this, "ALICE" beside "alice" was a traceback.
        return True

    def handle(self, *args: Any, **options: Any) -> None:
        self._username = options.get(User.USERNAME_FIELD)
        if not options["interactive"]:
            self._username = self._username or os.environ.get("DJANGO_SUPERUSER_USERNAME")
            if not options.get(DISPLAY_NAME) and not os.environ.get(
                "DJANGO_SUPERUSER_DISPLAY_NAME"
            ):
                options[DISPLAY_NAME] = self._username
        super().handle(*args, **options)

    def get_input_data(
        self, field: Field[Any, Any], message: str, default: str | None = None
    ) -> str | None:
        if field.name == DISPLAY_NAME and default is None:
            default = self._username
        value = super().get_input_data(field, message, default)
        if field is self.username_field:
            self._username = value
        return value

    def _get_input_message(self, field: Field[Any, Any], default: str | None = None) -> str:
        if field.name == DISPLAY_NAME and default is None:
            default = self._username
        message: str = super()._get_input_message(field, default)  # type: ignore[misc]
        return message
