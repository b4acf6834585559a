"""Django auth backend: case-insensitive username and the raw bcrypt hashes 1.x stored."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .models import User, bcrypt_check, bcrypt_hash


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
        if not isinstance(username, str) or not isinstance(password, str):
            return None
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            bcrypt_check(password, _dummy_hash())
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
