"""OpenAPI building blocks shared by every app's views: the 1.x error body and its messages, and
`component`, which turns a wire shape (a TypedDict) into its OpenAPI component."""

from __future__ import annotations

import types
from functools import cache
from typing import (
    Annotated,
    Any,
    Literal,
    NotRequired,
    Required,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .errors import INVALID_TOKEN, MISSING_TOKEN
from .shapes import Error

Field = serializers.Field[Any, Any, Any, Any]
Component = type[serializers.Serializer[Any]]

_SCALARS: dict[Any, type[Field]] = {
    bool: serializers.BooleanField,
    int: serializers.IntegerField,
    float: serializers.FloatField,
    str: serializers.CharField,
}


@cache
def component(shape: Any) -> Component:
    """The OpenAPI component of a wire shape (a TypedDict), named after it; built once per shape.

    Read from the type hints: `Annotated[T, "text"]` is the field's description, `Literal[...]`
    an enum, `T | None` nullable, `NotRequired[T]` a key that may be absent, a nested TypedDict
    its own component, `list[T]` an array and `dict[str, T]` an object keyed by any string."""
    if not is_typeddict(shape):
        raise TypeError(f"{shape!r} is not a TypedDict")
    bound = _type_arguments(shape)
    # Fields are made in key order: DRF orders a serializer's fields by when they were made.
    fields = {
        key: _field(hint, bound, f"{shape.__name__}.{key}", required=_required(shape, key, hint))
        for key, hint in get_type_hints(shape, include_extras=True).items()
    }
    # What drf-spectacular's inline_serializer does, kept as a class so every use shares it.
    serializer: Component = type(shape.__name__, (serializers.Serializer,), fields)
    return serializer


def _type_arguments(shape: Any) -> dict[Any, Any]:
    # `class JoinGrant(RoomConnection[JoinRoom])`: RoomConnection's hints say `RoomT`.
    bound: dict[Any, Any] = {}
    for base in getattr(shape, "__orig_bases__", ()):
        origin = get_origin(base)
        if origin is not None and is_typeddict(origin):
            bound.update(zip(origin.__parameters__, get_args(base), strict=True))
    return bound


def _required(shape: Any, key: str, hint: Any) -> bool:
    # Python 3.11 cannot see NotRequired inside string annotations (`from __future__ import
    # annotations`), so its `__required_keys__` lists every key: the hint's own word wins.
    while get_origin(hint) is Annotated:
        hint = get_args(hint)[0]
    if get_origin(hint) in (NotRequired, Required):
        return get_origin(hint) is Required
    return key in shape.__required_keys__


def _field(hint: Any, bound: dict[Any, Any], where: str, **options: Any) -> Field:
    """The serializer field for one type hint; `where` names it in the error for a hint that
    has no OpenAPI form."""
    if isinstance(hint, TypeVar):
        hint = bound[hint]
    origin, args = get_origin(hint), get_args(hint)
    if origin in (NotRequired, Required):
        return _field(args[0], bound, where, **options)
    if origin is Annotated:
        texts = [text for text in hint.__metadata__ if isinstance(text, str)]
        # Nested Annotated flatten, outermost last: an alias such as SqlTs annotated again where
        # it is used says the more particular thing there.
        if texts:
            options.setdefault("help_text", texts[-1])
        return _field(args[0], bound, where, **options)
    if origin in (Union, types.UnionType) and type(None) in args and len(args) == 2:
        (present,) = (arg for arg in args if arg is not type(None))
        return _field(present, bound, where, allow_null=True, **options)
    if origin is Literal:
        return serializers.ChoiceField(choices=list(args), **options)
    if origin is list and is_typeddict(args[0]):
        return component(args[0])(many=True, **options)
    if origin is list:
        return serializers.ListField(child=_field(args[0], bound, where), **options)
    if origin is dict and args[0] is str:
        return serializers.DictField(child=_field(args[1], bound, where), **options)
    if is_typeddict(hint):
        return component(hint)(**options)
    if hint in _SCALARS:
        return _SCALARS[hint](**options)
    raise TypeError(f"{where}: {hint!r} has no OpenAPI form")


ERROR = component(Error)

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


def path_id(name: str) -> OpenApiParameter:
    """The OpenAPI parameter of an id in the path, read as 1.x read it."""
    return OpenApiParameter(
        name,
        str,
        OpenApiParameter.PATH,
        description="Parsed like JavaScript parseInt (leading digits win, as 1.x did).",
    )
