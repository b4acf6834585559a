"""HTTP interface of the caller's own account: change the display name, change the password,
delete the account. Bearer tokens and the browser session both work (CSRF on the session)."""

from __future__ import annotations

from django.contrib.auth import logout, update_session_auth_hash
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import SessionAuthentication, request_user
from accounts.selectors import user_profile
from accounts.services import user_password_change, user_rename
from accounts.shapes import (
    AccountDeleted,
    AccountDeleteRequest,
    DisplayNameChange,
    PasswordChange,
    PasswordChanged,
    SessionUser,
)
from core.parsers import body_object
from core.schema import AUTH_ERRORS, component, error_responses

from .services.accounts import account_delete

RENAME_ERRORS = {**AUTH_ERRORS, 400: ["Display name must be 1-64 characters"]}
PASSWORD_ERRORS = {
    **AUTH_ERRORS,
    400: [
        "current_password and new_password are required",
        "Password must be 8-128 characters",
        "Current password is incorrect",
    ],
}
DELETE_ERRORS = {**AUTH_ERRORS, 400: ["Password is incorrect"]}


class AccountApi(APIView):
    @extend_schema(
        summary="Change my display name",
        description="Publishes `user:updated` to everyone, so every list showing me changes live.",
        request=component(DisplayNameChange),
        responses={200: component(SessionUser), **error_responses(RENAME_ERRORS)},
    )
    def patch(self, request: Request) -> Response:
        body = body_object(request)
        user = user_rename(user=request_user(request), display_name=body.get("display_name"))
        return Response(SessionUser(user=user_profile(user)))

    @extend_schema(
        summary="Delete my account",
        description="Needs the current password. I leave my room and go offline at once; "
        "every session and token of mine ends and the username is free again. Rooms I created "
        "stay for everyone in them (only staff may delete them from then on); votes and chat "
        'lines that name me show "Deleted user". Publishes `user:room_leave`, `user:offline` '
        "and `user:deleted`.",
        request=component(AccountDeleteRequest),
        responses={200: component(AccountDeleted), **error_responses(DELETE_ERRORS)},
    )
    def delete(self, request: Request) -> Response:
        body = body_object(request)
        account_delete(user=request_user(request), password=body.get("password"))
        if isinstance(request.successful_authenticator, SessionAuthentication):
            logout(request._request)
        return Response(AccountDeleted(deleted=True))


class AccountPasswordApi(APIView):
    @extend_schema(
        summary="Change my password",
        description="Needs the current password. Every bearer token and every other session of "
        "mine ends, and their live streams close; the calling session stays signed in (a "
        "bearer client signs in again with the new password).",
        request=component(PasswordChange),
        responses={200: component(PasswordChanged), **error_responses(PASSWORD_ERRORS)},
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        user = request_user(request)
        # One transaction: the live streams are rechecked once it commits, by which time this
        # session carries the new hash, so only the other sign-ins are closed.
        with transaction.atomic():
            user_password_change(
                user=user,
                current_password=body.get("current_password"),
                new_password=body.get("new_password"),
            )
            if isinstance(request.successful_authenticator, SessionAuthentication):
                update_session_auth_hash(request._request, user)
        return Response(PasswordChanged(changed=True))
