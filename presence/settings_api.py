"""HTTP interface of 2.x's user settings: `GET/POST /api/users/me/settings`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import request_user
from core.errors import BadRequest
from core.schema import AUTH_ERRORS, component, error_responses

from .services.settings import soundbite_opt_out_set
from .shapes import UserSettingsChange, UserSettingsRead, UserSettingsSaved

NOT_AN_OBJECT = "Settings must be a JSON object"
NOT_A_BOOLEAN = "soundbiteOptOut must be true or false"
UNKNOWN = "Unknown setting: {name}"
KNOWN = frozenset(UserSettingsChange.__annotations__)


class UserSettingsApi(APIView):
    @extend_schema(
        summary="My settings (2.x)",
        responses={200: component(UserSettingsRead), **error_responses(AUTH_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        user = request_user(request)
        return Response(UserSettingsRead(settings={"soundbiteOptOut": user.soundbite_opt_out}))

    @extend_schema(
        summary="Change my settings (2.x)",
        description="Absent keys stay as they are. Unlike 2.x, which stored any JS-truthy value "
        '(so `"false"` opted out), only `true` and `false` are taken, and an unknown key is '
        "refused rather than ignored, so a typo is not silently lost. A change of "
        "`soundbiteOptOut` reaches everyone at once: the participant metadata of the LiveKit "
        "room the caller is in, and `user:soundbite_opt_out` to every page.",
        request=component(UserSettingsChange),
        responses={
            200: component(UserSettingsSaved),
            **error_responses(
                {400: [NOT_AN_OBJECT, NOT_A_BOOLEAN, UNKNOWN.format(name="<key>")], **AUTH_ERRORS}
            ),
        },
    )
    def post(self, request: Request) -> Response:
        user = request_user(request)
        change = _settings_change(request.data)
        if "soundbiteOptOut" in change:
            soundbite_opt_out_set(user=user, opt_out=change["soundbiteOptOut"])
        return Response(UserSettingsSaved(ok=True))


def _settings_change(data: Any) -> UserSettingsChange:
    # An empty body parses as {} (nothing to change), as 2.x answered it.
    if not isinstance(data, dict):
        raise BadRequest(NOT_AN_OBJECT)
    for name in data:
        if name not in KNOWN:
            raise BadRequest(UNKNOWN.format(name=str(name)[:64]))
    change: UserSettingsChange = {}
    if "soundbiteOptOut" in data:
        value = data["soundbiteOptOut"]
        if not isinstance(value, bool):
            raise BadRequest(NOT_A_BOOLEAN)
        change["soundbiteOptOut"] = value
    return change
