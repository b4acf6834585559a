"""What a live connection was let in with, and whether that still holds."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django.contrib import auth

from .tokens import InvalidToken, token_user


@dataclass(frozen=True, slots=True)
class Credential:
    """A bearer token, or the browser's session, that authenticated `user_id`."""

    user_id: int
    token: str | None = None
    session_key: str | None = None


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
    """credential_holds for many at once (one call from a connection's event loop)."""
    return [credential_holds(credential) for credential in credentials]
