"""The 1.x bearer token: HS256 JWT of exactly `{sub, username, display_name, iat, exp}`, with
`sub` the user id as a JSON integer. Minted and verified with djangorestframework-simplejwt
(settings.SIMPLE_JWT: `sub` as the user id claim, no `token_type`, no `jti`); whether the user
may still use it (active, not logged out everywhere) is checked here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

import jwt
from django.utils import timezone
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.exceptions import (
    TokenBackendError,
    TokenBackendExpiredToken,
    TokenError,
)
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from core.parsing import MAX_DB_ID

from .models import User
from .selectors import user_active


class InvalidToken(Exception):
    """The token is malformed, mis-signed, expired or revoked."""


class _OneXTokenBackend(TokenBackend):
    """simplejwt's backend, minus two PyJWT checks that every 1.x token would fail."""

    def decode(self, token: Any, verify: bool = True) -> dict[str, Any]:
        try:
            return jwt.decode(
                token,
                self.get_verifying_key(token),
                algorithms=[self.algorithm],
                leeway=self.get_leeway(),
                options={
                    "verify_signature": verify,
                    # PyJWT >= 2.10 refuses a non-string `sub`; 1.x's is an integer, and
                    # BearerToken.verify checks it instead.
                    "verify_sub": False,
                    # jsonwebtoken never refused a future `iat`; see BearerToken.mint for why
                    # ours can be a second ahead.
                    "verify_iat": False,
                    "require": ["sub", "exp"],
                },
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenBackendExpiredToken("Token is expired") from exc
        except jwt.InvalidTokenError as exc:
            raise TokenBackendError("Token is invalid") from exc


@cache
def _backend(algorithm: str, signing_key: str, leeway: int) -> _OneXTokenBackend:
    return _OneXTokenBackend(algorithm, signing_key, leeway=leeway)


def user_id_of(sub: Any) -> int | None:
    """The user id a `sub` claim names: a JSON integer (1.x) or its plain ASCII digits, else None.

    `str.isdigit` and `int()` also take superscript or Arabic-Indic digits (U+00B2, U+0661),
    which would name a user no client was ever given a token for."""
    if isinstance(sub, bool):
        return None
    if isinstance(sub, str) and sub.isascii() and sub.isdigit():
        sub = int(sub)
    if isinstance(sub, int) and 0 < sub <= MAX_DB_ID:
        return sub
    return None


class BearerToken(Token):
    """A 1.x bearer token; `str(token)` is the signed JWT."""

    # simplejwt needs a type, but TOKEN_TYPE_CLAIM is None, so it never appears in a token.
    token_type = "bearer"
    lifetime = api_settings.ACCESS_TOKEN_LIFETIME

    @property
    def token_backend(self) -> TokenBackend:
        return _backend(api_settings.ALGORITHM, api_settings.SIGNING_KEY, api_settings.LEEWAY)

    def verify(self) -> None:
        super().verify()
        if self.user_id is None:
            raise TokenError("Token is invalid")

    @property
    def user_id(self) -> int | None:
        return user_id_of(self.payload.get(api_settings.USER_ID_CLAIM))

    @classmethod
    def for_user(cls, user: Any) -> BearerToken:
        # simplejwt's own would write the id as a string; 1.x clients expect an integer.
        return cls.mint(user=user)

    @classmethod
    def mint(cls, *, user: User, now: datetime | None = None) -> BearerToken:
        """A fresh 7-day token for `user`, claim for claim what 1.x minted."""
        issued = int((now or timezone.now()).timestamp())
        if user.tokens_valid_after is not None:
            # `iat` has whole seconds, so a token from the second of "log out everywhere" cannot
            # be told apart from one issued before it and is refused; a token minted in that
            # second is dated the next one instead (1.x never checked `iat`).
            issued = max(issued, int(user.tokens_valid_after.timestamp()) + 1)
        at = datetime.fromtimestamp(issued, UTC)
        token = cls()
        # A new simplejwt token starts with its own claims; 1.x's are these five, in this order.
        token.payload = {
            "sub": user.pk,
            "username": user.username,
            "display_name": user.display_name,
        }
        token.set_iat(at_time=at)
        token.set_exp(from_time=at, lifetime=cls.lifetime)
        return token


def token_mint(*, user: User, now: datetime | None = None) -> str:
    """A 7-day bearer token for `user`, byte-shaped like 1.x's."""
    return str(BearerToken.mint(user=user, now=now))


def token_verified(token: str | bytes) -> BearerToken:
    """The verified token (signature, algorithm, expiry with no leeway, as 1.x; a user id)."""
    try:
        return BearerToken(token)  # type: ignore[arg-type]
    except TokenError as exc:
        raise InvalidToken(str(exc)) from exc


def token_claims(token: str) -> dict[str, Any]:
    """Verified claims of a bearer token."""
    return token_verified(token).payload


def token_owner(token: BearerToken) -> User:
    """The active user a verified token belongs to. Unlike 1.x, the user row is loaded: deleted
    or deactivated users and tokens issued before "log out everywhere" are refused."""
    user_id = token.user_id
    user = user_active(user_id) if user_id else None
    if user is None:
        raise InvalidToken("user no longer exists")
    issued_at = token.get("iat")
    if user.tokens_valid_after is not None and (
        not isinstance(issued_at, (int, float))
        or isinstance(issued_at, bool)
        or issued_at <= int(user.tokens_valid_after.timestamp())
    ):
        raise InvalidToken("token was revoked")
    return user


def token_user(token: str) -> User:
    """The active user a raw bearer token belongs to (see token_owner)."""
    return token_owner(token_verified(token))
