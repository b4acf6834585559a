"""OpenAPI building blocks shared by every app's views: the 1.x error body and its messages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from .errors import INVALID_TOKEN, MISSING_TOKEN

ERROR = inline_serializer(
    name="Error",
    fields={"error": serializers.CharField(help_text="Shown to users verbatim by 1.x clients.")},
)

AUTH_ERRORS = {
    401: [MISSING_TOKEN, INVALID_TOKEN],
}


def error_responses(errors: dict[int, list[str]]) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for `{status: [exact 1.x error strings]}`, each `{"error": ...}`."""
    return {
        status: OpenApiResponse(
            response=ERROR, description=" | ".join(f"`{message}`" for message in messages)
        )
        for status, messages in errors.items()
    }


def many(serializer: serializers.Serializer[Any]) -> serializers.BaseSerializer[Any]:
    """A list of an inline serializer, reusing its OpenAPI component instead of a second one."""
    return serializer.__class__(many=True)
