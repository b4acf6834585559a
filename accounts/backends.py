"""Django auth backend: case-insensitive username, the raw bcrypt hashes 1.x stored, and the
per-account sign-in throttle (accounts.lockout), here so that every way to sign in (the API,
the browser session, the admin) passes through it."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .lockout import login_failed, login_gate, login_succeeded
from .models import User, bcrypt_check, bcrypt_hash
from .ratelimits import client_bucket


@cache
def _dummy_hash() -> str:
    # Checked against when the username is unknown, so both paths cost one bcrypt (1.x skipped
    # it, which told an attacker which usernames exist).
    return bcrypt_hash("not a password anyone has")


class UsernameBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        """The active user with these credentials, or None. Raises TooManyRequests while the
        account is held back after repeated failures."""
        if not isinstance(username, str) or not isinstance(password, str):
            return None
        address = client_bucket(request) if request is not None else None
        login_gate(username=username, address=address)
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            bcrypt_check(password, _dummy_hash())
        elif user.check_password(password) and self.user_can_authenticate(user):
            login_succeeded(username=username, address=address)
            return user
        login_failed(username=username)
        return None
