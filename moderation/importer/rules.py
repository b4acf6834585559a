"""Which 1.x rows our own rules accept, and what is mended on the way in.

1.x applied the same rules when people registered and made rooms, so a row that breaks them was
edited by hand. Such a row is left out (or mended, where only its looks suffer) and the summary
says which and why; fix it in the 1.x database and run the import again.
"""

from __future__ import annotations

import re

from core.parsing import JS_WHITESPACE, js_trim, utf16_len
from rooms.models import Room

from .source import OneXRoom

# The rules of registration (accounts.services) and room creation (rooms.services).
USERNAME = re.compile(r"[A-Za-z0-9_]{3,32}")
DISPLAY_NAME_MAX = 64
ROOM_NAME = re.compile("[A-Za-z0-9_" + re.escape(JS_WHITESPACE) + r"\-!@#&()]+")
ROOM_NAME_MAX = 64
JAIL_PREFIX = "Jail: "
# What Python's bcrypt checks: 1.x's node bcrypt wrote $2b$, older tools $2a$ or $2y$.
BCRYPT_HASH = re.compile(r"\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}")


def username_problem(username: str) -> str | None:
    """Why a username cannot be imported, or None."""
    if USERNAME.fullmatch(username):
        return None
    return "the username is not 3-32 letters, digits or underscores"


def display_name_mended(raw: str, *, username: str) -> tuple[str, str | None]:
    """The display name to import, and what was changed, if anything."""
    name = js_trim(raw)
    if not name:
        return username, "blank display name, the username is used instead"
    if utf16_len(name) > DISPLAY_NAME_MAX:
        while utf16_len(name) > DISPLAY_NAME_MAX:
            name = name[:-1]
        return name, f"display name longer than {DISPLAY_NAME_MAX} characters, cut short"
    if name != raw:
        return name, "spaces around the display name trimmed"
    return name, None


def password_usable(password_hash: str) -> bool:
    """Whether the stored hash is bcrypt that logins can be checked against."""
    return BCRYPT_HASH.fullmatch(password_hash) is not None


def room_name_problem(row: OneXRoom, *, source_name: str | None) -> str | None:
    """Why a room's name cannot be imported, or None. A jail must be named after its source."""
    if row.is_jail:
        if source_name is None:
            return "a jail whose source room is gone"
        if row.name != f"{JAIL_PREFIX}{source_name}":
            return f"a jail not named {JAIL_PREFIX!r} + its source room's name"
        return None
    if not row.name or js_trim(row.name) != row.name:
        return "a blank name, or spaces around it"
    if utf16_len(row.name) > ROOM_NAME_MAX:
        return f"a name longer than {ROOM_NAME_MAX} characters"
    if not ROOM_NAME.fullmatch(row.name):
        return "characters in its name that room names may not have (a ':' poses as a jail)"
    return None


def room_type(value: str | None) -> tuple[str, str | None]:
    """The room type to import, and a note if 1.x's value was not one of ours."""
    if value in Room.Type.values:
        return str(value), None
    return Room.Type.VOICE, f"type {value!r} is not voice or video; imported as voice"


def room_mode(value: str | None) -> tuple[str, str | None]:
    """The room mode to import (whispers stays whispers), and a note if 1.x's was unknown."""
    if value in Room.Mode.values:
        return str(value), None
    return Room.Mode.NORMAL, f"mode {value!r} is not normal or whispers; imported as normal"
