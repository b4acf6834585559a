"""The browser UI's pages: the sign-in page and the app itself (the room page)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from accounts.models import User
from accounts.selectors import user_profile
from accounts.shapes import UserProfile
from moderation.models import VOTE_MIN_PEOPLE
from rooms.services.rooms import ROOM_NAME_ALLOWED, ROOM_NAME_MAX

from .assets import audio_worklet_urls, e2ee_worker_url, import_map

# The same escapes as Django's json_script: nothing in the JSON can close the <script> element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _script_json(value: Any) -> SafeString:
    return mark_safe(json.dumps(value, separators=(",", ":")).translate(_SCRIPT_ESCAPES))  # noqa: S308


def _page_context(page: str, config: dict[str, Any]) -> dict[str, Any]:
    return {
        "page": page,
        "import_map_json": _script_json(import_map()),
        "config": {
            "csrfCookieName": settings.CSRF_COOKIE_NAME,
            "iconSprite": static("img/icons.svg"),
            **config,
        },
    }


class PageUser(UserProfile):
    # The 1.x profile plus is_staff, so the page offers Lift to staff as well.
    is_staff: bool


def _me(user: User) -> PageUser:
    return {**user_profile(user), "is_staff": user.is_staff}


@require_safe
@ensure_csrf_cookie
def app_page(request: HttpRequest) -> HttpResponse:
    """The app for a signed-in user; everyone else is sent to the sign-in page."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        return redirect("web:login")
    config = {
        "me": _me(user),
        "e2eeWorkerUrl": e2ee_worker_url(),
        "audioWorklets": audio_worklet_urls(),
        # The server's rules, so the page offers a vote only where one can start and says
        # what a room name may be before the server has to refuse one.
        "voteMinPeople": VOTE_MIN_PEOPLE,
        "roomName": {"maxLength": ROOM_NAME_MAX, "allowed": ROOM_NAME_ALLOWED},
    }
    return render(request, "web/room.html", _page_context("room", config))


@require_safe
@ensure_csrf_cookie
def login_page(request: HttpRequest) -> HttpResponse:
    """Sign in or create an account; a signed-in user goes straight to the app."""
    if isinstance(request.user, User) and request.user.is_active:
        return redirect("web:app")
    return render(request, "web/login.html", _page_context("login", {}))


def media_server_missing(request: HttpRequest, rest: str) -> JsonResponse:
    """`/livekit/…` reached Django: no media server is proxied at this address (a laptop
    without LiveKit, or a proxy without its `/livekit/` route)."""
    # A 404 here reads to livekit-client as "old LiveKit server, try the other signalling
    # path", which it does again and again; 503 makes it give up and report unreachable.
    return JsonResponse(
        {"error": "No media server is reachable at this address"},
        status=503,
        headers={"Retry-After": "30"},
    )
