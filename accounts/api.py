"""Account endpoints: the 1.x bearer-token API, and the session API of the built-in browser UI.

Bearer (1.x and API clients): register, login, me, logout-all.
Session (browser UI, HttpOnly cookie, CSRF on every unsafe call): csrf, login, register, logout.
Logins of both kinds share one rate-limit bucket per client address (every attempt counts);
registrations of both kinds another (only accounts created count).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth import login, logout, update_session_auth_hash
from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.parsers import body_object
from core.rates import Slot
from core.schema import AUTH_ERRORS, component, error_responses

from . import schema as _schema  # noqa: F401  (registers the OpenAPI auth extensions)
from .authentication import SessionAuthentication, csrf_enforce, request_user
from .lockout import MESSAGE as ACCOUNT_HELD_BACK
from .ratelimits import (
    LOGIN,
    REGISTER,
    Limit,
    rate_limit_count,
    rate_limit_reserve,
    slot_headers,
)
from .selectors import user_me, user_profile
from .services import user_authenticate, user_logout_everywhere, user_register
from .shapes import (
    Csrf,
    LoggedOut,
    LoginRequest,
    Me,
    RegisterRequest,
    SessionUser,
    TokenAndUser,
)
from .tokens import token_mint

SESSION_BACKEND = "accounts.backends.UsernameBackend"


# --- Documented refusals ------------------------------------------------------------------------

REGISTER_ERRORS = {
    400: [
        "username, display_name, and password are required",
        "Username must be 3-32 characters, alphanumeric or underscore",
        "Display name must be 1-64 characters",
        "Password must be 8-128 characters",
    ],
    409: ["Username already taken"],
    429: [f"{REGISTER.message} (in <time>)"],
}
LOGIN_ERRORS = {
    400: ["username and password are required"],
    401: ["Invalid credentials"],
    429: [f"{LOGIN.message} (in <time>)", f"{ACCOUNT_HELD_BACK} (in <time>)"],
}
CSRF_ERRORS = {403: ["CSRF Failed: <reason>"]}


# --- Rate-limited views -------------------------------------------------------------------------


class _RateLimited(APIView):
    """Counts every request against `rate_limit` before anything else runs, and sends the
    RateLimit headers on every answer."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    rate_limit: ClassVar[Limit]
    _rate_limit_headers: dict[str, str]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self._rate_limit_headers = self.count_use(request)

    def count_use(self, request: Request) -> dict[str, str]:
        return rate_limit_count(request._request, self.rate_limit)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in getattr(self, "_rate_limit_headers", {}).items():
            response.setdefault(name, value)
        return response


class _CountingSuccesses(_RateLimited):
    """Holds a use of `rate_limit` while the request runs and keeps it only if it succeeds."""

    _slot: Slot | None = None

    def count_use(self, request: Request) -> dict[str, str]:
        self._slot = rate_limit_reserve(request._request, self.rate_limit)
        return {} if self._slot is None else slot_headers(self.rate_limit, self._slot)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if self._slot is not None and response.status_code >= 300:
            self._slot.release()
            self._rate_limit_headers = slot_headers(self.rate_limit, self._slot, kept=False)
        return super().finalize_response(request, response, *args, **kwargs)


class _SessionCreating(_RateLimited):
    """Creates a session, so it needs the CSRF check that session authentication would do."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        csrf_enforce(request)
        super().initial(request, *args, **kwargs)


class AuthRegisterApi(_CountingSuccesses):
    rate_limit = REGISTER

    @extend_schema(
        summary="Register (1.x)",
        request=component(RegisterRequest),
        responses={201: component(TokenAndUser), **error_responses(REGISTER_ERRORS)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        user = user_register(
            username=body.get("username"),
            display_name=body.get("display_name"),
            password=body.get("password"),
        )
        return Response(
            TokenAndUser(token=token_mint(user=user), user=user_profile(user)), status=201
        )


class AuthLoginApi(_RateLimited):
    rate_limit = LOGIN

    @extend_schema(
        summary="Log in for a bearer token (1.x)",
        request=component(LoginRequest),
        responses={200: component(TokenAndUser), **error_responses(LOGIN_ERRORS)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        user = user_authenticate(
            username=body.get("username"), password=body.get("password"), request=request._request
        )
        return Response(TokenAndUser(token=token_mint(user=user), user=user_profile(user)))


class SessionRegisterApi(_SessionCreating, _CountingSuccesses):
    rate_limit = REGISTER

    @extend_schema(
        summary="Register and start a browser session",
        description="Same rules, limits and messages as `/api/auth/register`; needs the CSRF "
        "token (cookie `csrftoken`, header `X-CSRFToken`). Sets the HttpOnly session cookie.",
        request=component(RegisterRequest),
        responses={
            201: component(SessionUser),
            **error_responses({**REGISTER_ERRORS, **CSRF_ERRORS}),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        user = user_register(
            username=body.get("username"),
            display_name=body.get("display_name"),
            password=body.get("password"),
        )
        login(request._request, user, backend=SESSION_BACKEND)
        return Response(SessionUser(user=user_profile(user)), status=201)


class SessionLoginApi(_SessionCreating):
    rate_limit = LOGIN

    @extend_schema(
        summary="Log in with a browser session",
        description="Same rules, limits and messages as `/api/auth/login`; needs the CSRF "
        "token. Sets the HttpOnly session cookie; no token is handed to the page.",
        request=component(LoginRequest),
        responses={200: component(SessionUser), **error_responses({**LOGIN_ERRORS, **CSRF_ERRORS})},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        user = user_authenticate(
            username=body.get("username"), password=body.get("password"), request=request._request
        )
        login(request._request, user, backend=SESSION_BACKEND)
        return Response(SessionUser(user=user_profile(user)))


# --- Session housekeeping -----------------------------------------------------------------------


class CsrfApi(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        summary="Set the CSRF cookie for the browser UI",
        responses={200: component(Csrf)},
        auth=[],
    )
    def get(self, request: Request) -> Response:
        return Response(Csrf(csrfToken=get_token(request._request)))


class SessionLogoutApi(APIView):
    # Only the session is consulted: its CSRF check runs when there is one to end.
    authentication_classes = (SessionAuthentication,)
    permission_classes = (AllowAny,)

    @extend_schema(
        summary="End this browser session",
        request=None,
        responses={200: component(LoggedOut), **error_responses(CSRF_ERRORS)},
    )
    def post(self, request: Request) -> Response:
        if request.user is not None:
            logout(request._request)
        return Response(LoggedOut(loggedOut=True))


class AuthLogoutAllApi(APIView):
    @extend_schema(
        summary="Log out everywhere",
        description="Refuses every bearer token issued so far and ends every other session of "
        "the user (the calling session, if any, stays logged in).",
        request=None,
        responses={200: component(LoggedOut), **error_responses(AUTH_ERRORS)},
    )
    def post(self, request: Request) -> Response:
        user = request_user(request)
        user_logout_everywhere(user=user)
        if isinstance(request.successful_authenticator, SessionAuthentication):
            update_session_auth_hash(request._request, user)
        return Response(LoggedOut(loggedOut=True))


# --- Reads --------------------------------------------------------------------------------------


class AuthMeApi(APIView):
    @extend_schema(
        summary="The caller's account (1.x)",
        responses={200: component(Me), **error_responses(AUTH_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        return Response(Me(user=user_me(request_user(request))))
