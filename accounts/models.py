"""Accounts: the custom user model (from the first migration) and its password scheme."""

from __future__ import annotations

from typing import Any, ClassVar

import bcrypt
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from realtime.publish import credentials_changed

BCRYPT_COST = 12


def _bcrypt_bytes(raw: str) -> bytes:
    # bcrypt only ever used the first 72 bytes; Python's bcrypt>=5 raises instead of truncating,
    # so truncate ourselves or passwords of 73-128 bytes would stop working.
    return raw.encode("utf-8")[:72]


def bcrypt_hash(raw: str) -> str:
    """A raw `$2b$12$…` hash, byte-compatible with 1.x's stored hashes."""
    return bcrypt.hashpw(_bcrypt_bytes(raw), bcrypt.gensalt(BCRYPT_COST)).decode("ascii")


def bcrypt_check(raw: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(_bcrypt_bytes(raw), hashed.encode("ascii"))
    except ValueError:
        return False


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username__iexact=username)

    def create_user(self, username: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("display_name", username)
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Usernames are unique regardless of case, as in 1.x."""

    username = models.CharField(max_length=32)
    display_name = models.CharField(max_length=64)
    last_room = models.ForeignKey(
        "rooms.Room", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_seen = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    # Bearer tokens issued before this instant are refused ("log out everywhere").
    tokens_valid_after = models.DateTimeField(null=True, blank=True)
    # 2.x's soundbite opt-out: other pages keep no recording of this user's microphone. A
    # database default too, so rows written by older code (migrations, raw inserts) get one.
    soundbite_opt_out = models.BooleanField(default=False, db_default=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    def set_password(self, raw_password: str | None) -> None:
        # Every way to change a password (changepassword, the admin, a shell) calls this and
        # then save(), which ends the user's other sign-ins (see save).
        self._password_changed = True
        if raw_password is None:
            self.set_unusable_password()
            return
        self.password = bcrypt_hash(raw_password)
        self._password = raw_password

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves the user; after a password change of an existing account, also refuses every
        bearer token issued before and ends every session (the one that made the change keeps
        itself with `update_session_auth_hash`, as Django's password views do) and closes the
        live streams opened with the old one."""
        adding = self._state.adding
        if getattr(self, "_password_changed", False) and not adding:
            self.tokens_valid_after = timezone.now()
            fields = kwargs.get("update_fields")
            if fields is not None:
                kwargs["update_fields"] = {*fields, "tokens_valid_after"}
        super().save(*args, **kwargs)
        if getattr(self, "_password_changed", False) and not adding:
            # Live streams opened with the old password close now, not at the next heartbeat.
            credentials_changed(user_id=self.pk)
        self._password_changed = False

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Deletes the user; their live streams close once the deletion commits (a bulk
        delete, which skips this, leaves them to the next presence heartbeat)."""
        user_id = self.pk
        deleted = super().delete(*args, **kwargs)
        credentials_changed(user_id=user_id)
        return deleted

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Sessions remember this hash; mixing in tokens_valid_after means "log out everywhere"
        # ends every session as well as every bearer token, without scanning the session table.
        key_salt = "accounts.User.get_session_auth_hash"
        revoked = self.tokens_valid_after.isoformat() if self.tokens_valid_after else ""
        return salted_hmac(
            key_salt, f"{self.password}|{revoked}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def check_password(self, raw_password: str | None) -> bool:
        if raw_password is None or not self.password.startswith("$2"):
            return False
        return bcrypt_check(raw_password, self.password)
