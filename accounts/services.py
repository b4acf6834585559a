"""Account services: register, check a login, log out everywhere, and the owner's own changes
(display name, password, closing the account). 1.x's rules and messages where 1.x had them."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from core.errors import BadRequest, Conflict, Unauthorized
from core.parsing import js_trim, js_truthy, utf16_len
from realtime.events import UserDeleted, UserRegistered, UserUpdated
from realtime.publish import Everyone, credentials_changed, publish

from .models import User, bcrypt_hash
from .selectors import user_ref

_USERNAME = re.compile(r"[A-Za-z0-9_]{3,32}")


# What a closed account is shown as, wherever it still appears (chat lines, moderation records).
DELETED_DISPLAY_NAME = "Deleted user"


def _display_name(display_name: Any) -> str:
    if not isinstance(display_name, str) or not 1 <= utf16_len(js_trim(display_name)) <= 64:
        raise BadRequest("Display name must be 1-64 characters")
    return js_trim(display_name)


def _password(password: Any) -> str:
    if not isinstance(password, str) or not 8 <= utf16_len(password) <= 128:
        raise BadRequest("Password must be 8-128 characters")
    return password


def _validated(username: Any, display_name: Any, password: Any) -> tuple[str, str, str]:
    if not (js_truthy(username) and js_truthy(display_name) and js_truthy(password)):
        raise BadRequest("username, display_name, and password are required")
    # 1.x coerced non-strings (so 12345 registered "12345" and a numeric password crashed
    # bcrypt); here anything but a string fails the rule it was meant for.
    if not isinstance(username, str) or not _USERNAME.fullmatch(username):
        raise BadRequest("Username must be 3-32 characters, alphanumeric or underscore")
    return username, _display_name(display_name), _password(password)


def user_register(*, username: Any, display_name: Any, password: Any) -> User:
    """Creates an account after 1.x's checks (usernames unique regardless of case), its password
    hashed with bcrypt at cost 12. Publishes `user:registered` to everyone."""
    username, display_name, password = _validated(username, display_name, password)
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("Username already taken")
    # Hashed outside the transaction: a quarter second of bcrypt must not hold the write lock.
    password_hash = bcrypt_hash(password)
    return _user_insert(username=username, display_name=display_name, password_hash=password_hash)


@transaction.atomic
def _user_insert(*, username: str, display_name: str, password_hash: str) -> User:
    try:
        with transaction.atomic():
            user = User.objects.create(
                username=username, display_name=display_name, password=password_hash
            )
    except IntegrityError as exc:
        # Two registrations of one name raced past the check above; 1.x answered 500 here.
        raise Conflict("Username already taken") from exc
    publish(UserRegistered(user=user_ref(user)), to=Everyone())
    return user


def user_authenticate(*, username: Any, password: Any, request: HttpRequest | None = None) -> User:
    """The active user with this username (any case) and password. Costs one bcrypt check
    whether or not the username exists, so timing does not reveal accounts. Raises
    TooManyRequests while the account is held back (accounts.lockout; `request` tells the
    client's address, whose earlier sign-ins to the account exempt it)."""
    if not js_truthy(username) or not js_truthy(password):
        raise BadRequest("username and password are required")
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        raise Unauthorized("Invalid credentials")
    return user


@transaction.atomic
def user_logout_everywhere(*, user: User) -> None:
    """Refuses every bearer token issued to `user` until now and ends all their sessions (the
    caller may keep its own with `update_session_auth_hash`); their live streams that used
    any of them are closed."""
    user.tokens_valid_after = timezone.now()
    user.save(update_fields=["tokens_valid_after"])
    credentials_changed(user_id=user.pk)


@transaction.atomic
def user_rename(*, user: User, display_name: Any) -> User:
    """Changes the user's display name (1-64 characters, trimmed, as at registration).
    Publishes `user:updated` to everyone: every signed-in person sees every user listed."""
    name = _display_name(display_name)
    User.objects.filter(pk=user.pk).update(display_name=name)
    user.display_name = name
    publish(UserUpdated(user=user_ref(user)), to=Everyone())
    return user


def user_password_confirm(*, user: User, password: Any, message: str) -> None:
    """Raises BadRequest(`message`) unless `password` is the user's password now."""
    if not js_truthy(password) or not isinstance(password, str):
        raise BadRequest(message)
    if not user.check_password(password):
        raise BadRequest(message)


def user_password_change(*, user: User, current_password: Any, new_password: Any) -> None:
    """Sets a new password once the current one is confirmed. Every bearer token and every
    session of the user end, and their live streams close (User.save); the caller keeps its
    own session with `update_session_auth_hash`."""
    if not js_truthy(current_password) or not js_truthy(new_password):
        raise BadRequest("current_password and new_password are required")
    new_password = _password(new_password)
    user_password_confirm(
        user=user, password=current_password, message="Current password is incorrect"
    )
    # Hashed outside any transaction: bcrypt's quarter second must not hold the write lock.
    user.set_password(new_password)
    with transaction.atomic():
        user.save(update_fields=["password"])


@transaction.atomic
def user_close(*, user: User) -> None:
    """Closes the account for good, keeping its row so the moderation records and chat lines
    that name it stay whole: signed out everywhere, unable to sign in, its username freed
    (renamed to one sign-up cannot choose) and shown as "Deleted user". Publishes
    `user:deleted` to everyone. Callers confirm the password first."""
    user.username = f"deleted-{user.pk}"
    user.display_name = DELETED_DISPLAY_NAME
    user.is_active = False
    user.last_room = None
    # An unusable password also ends every token and session, and closes live streams.
    user.set_password(None)
    user.save()
    publish(UserDeleted(user=user_ref(user)), to=Everyone())
