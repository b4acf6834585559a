"""The wire shapes of the account endpoints: users as 1.x returned them, and each endpoint's
request and answer."""

from __future__ import annotations

from typing import Annotated, TypedDict

from realtime.payloads import SqlTs


class UserProfile(TypedDict):
    """The 1.x `user` of login and register."""

    id: int
    username: Annotated[str, "As stored (registration casing)."]
    display_name: str
    last_room_id: int | None


class UserMe(UserProfile):
    """The 1.x `user` of `GET /auth/me`, the one place `created_at` is returned."""

    created_at: SqlTs


class UserListed(TypedDict):
    id: int
    username: str
    display_name: str
    last_seen: SqlTs | None
    is_online: bool


class RegisterRequest(TypedDict):
    username: Annotated[str, "[A-Za-z0-9_]{3,32}, unique in any case"]
    display_name: Annotated[str, "1-64 characters after trimming"]
    password: Annotated[str, "8-128 characters"]


class LoginRequest(TypedDict):
    username: str
    password: str


class TokenAndUser(TypedDict):
    token: Annotated[str, "HS256 JWT, 7 days"]
    user: UserProfile


class SessionUser(TypedDict):
    user: UserProfile


class Me(TypedDict):
    user: UserMe


class LoggedOut(TypedDict):
    loggedOut: bool


class Csrf(TypedDict):
    csrfToken: str


class DisplayNameChange(TypedDict):
    display_name: Annotated[str, "1-64 characters after trimming"]


class PasswordChange(TypedDict):
    current_password: Annotated[str, "The password in use now"]
    new_password: Annotated[str, "8-128 characters"]


class PasswordChanged(TypedDict):
    changed: bool


class AccountDeleteRequest(TypedDict):
    password: Annotated[str, "The password in use now, to confirm"]


class AccountDeleted(TypedDict):
    deleted: bool
