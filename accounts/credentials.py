"""What a live connection was let in with, and whether that still holds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django.contrib import auth

from .models import User
from .tokens import InvalidToken, token_user


@dataclass(frozen=True, slots=True)
class Credential:
    """A bearer token, or the browser's session, that authenticated `user_id`, with the
    account's fingerprint when it did (see fingerprint_of)."""

    user_id: int
    token: str | None = None
    session_key: str | None = None
    fingerprint: str = ""


def credential_for(
    user: User, *, token: str | None = None, session_key: str | None = None
) -> Credential:
    """The credential `user` was just let in with."""
    return Credential(
        user_id=user.pk, token=token, session_key=session_key, fingerprint=fingerprint_of(user)
    )


def fingerprint_of(user: User) -> str:
    """A digest of what every credential of the user depends on (active, the password, the
    last "log out everywhere"): while it stays the same, no credential of theirs was revoked,
    save a session ended by logout, which announces itself."""
    revoked = user.tokens_valid_after.isoformat() if user.tokens_valid_after else ""
    material = f"{user.is_active}|{revoked}|{user.password}".encode()
    return hashlib.blake2b(material, digest_size=12).hexdigest()


def fingerprints(user_ids: set[int]) -> dict[int, str]:
    """The current fingerprint of each of these users that still exists, in one query."""
    users = User.objects.filter(pk__in=user_ids).only("is_active", "tokens_valid_after", "password")
    return {user.pk: fingerprint_of(user) for user in users}


def credential_holds(credential: Credential) -> bool:
    """Whether the credential still lets its user in: the token is not revoked (log out
    everywhere, a password change), the session was not ended, the account is active."""
    if credential.token is not None:
        try:
            return token_user(credential.token).pk == credential.user_id
        except InvalidToken:
            return False
    if credential.session_key is not None:
        store = import_module(settings.SESSION_ENGINE).SessionStore(credential.session_key)
        # Django's own check: the session's stored hash against the user's current one.
        user = auth.get_user(SimpleNamespace(session=store))  # type: ignore[arg-type]
        return bool(user.is_authenticated and user.is_active and user.pk == credential.user_id)
    return False


def credentials_holding(credentials: list[Credential]) -> list[bool]:
    """credential_holds for many at once, cheaply: only those whose account changed since they
    were let in (one query for all) are checked one by one."""
    current = fingerprints({credential.user_id for credential in credentials})
    return [current.get(c.user_id) == c.fingerprint or credential_holds(c) for c in credentials]
