"""The 1.x bearer token: HS256 JWT with `sub` (integer user id), `username`, `display_name`.

PyJWT is used directly rather than a JWT framework because the 1.x shape is fixed: an integer
`sub` (PyJWT >= 2.10 rejects that unless told not to), no `jti`, no `token_type`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jwt
from django.conf import settings
from django.utils import timezone

from .models import User
from .selectors import user_active

ALGORITHM = "HS256"


class InvalidToken(Exception):
    """The token is malformed, mis-signed, expired or revoked."""


def token_mint(*, user: User, now: datetime | None = None) -> str:
    """A 7-day bearer token for `user`, byte-shaped like 1.x's."""
    issued = int((now or timezone.now()).timestamp())
    if user.tokens_valid_after is not None:
        # `iat` has whole seconds, so a token from the second of "log out everywhere" cannot be
        # told apart from one issued before it and is refused; a token minted in that second
        # is dated the next one instead (1.x never checked `iat`, so clients do not care).
        issued = max(issued, int(user.tokens_valid_after.timestamp()) + 1)
    claims = {
        "sub": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "iat": issued,
        "exp": issued + int(settings.JWT_LIFETIME.total_seconds()),
    }
    return jwt.encode(claims, settings.JWT_SECRET, algorithm=ALGORITHM)


def token_claims(token: str) -> dict[str, Any]:
    """Verified claims of a bearer token (signature, algorithm, expiry; no leeway, as 1.x)."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.JWT_SECRET,
            algorithms=[ALGORITHM],
            # 1.x (jsonwebtoken) never refused a future `iat`; see token_mint for why one exists.
            options={"verify_sub": False, "verify_iat": False, "require": ["sub", "exp"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    sub = claims.get("sub")
    if isinstance(sub, bool) or not isinstance(sub, (int, str)) or not str(sub).isdigit():
        raise InvalidToken("sub is not a user id")
    return claims


def token_user(token: str) -> User:
    """The active user a token belongs to. Unlike 1.x, the user row is loaded: deleted or
    deactivated users and tokens issued before "log out everywhere" are refused."""
    claims = token_claims(token)
    user = user_active(int(claims["sub"]))
    if user is None:
        raise InvalidToken("user no longer exists")
    issued_at = claims.get("iat")
    if user.tokens_valid_after is not None and (
        not isinstance(issued_at, (int, float))
        or isinstance(issued_at, bool)
        or issued_at <= int(user.tokens_valid_after.timestamp())
    ):
        raise InvalidToken("token was revoked")
    return user
