"""`component`: a wire shape (a TypedDict) becomes the OpenAPI component clients read."""

from __future__ import annotations

from typing import Annotated, Generic, Literal, NotRequired, TypedDict, TypeVar

import pytest
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.schema import component

Stamp = Annotated[str, "UTC, YYYY-MM-DD HH:MM:SS"]
ItemT = TypeVar("ItemT")


class Leaf(TypedDict):
    id: int


class Everything(TypedDict):
    count: int
    name: Annotated[str, "Shown as is"]
    flag: bool
    ratio: float
    colour: Literal["red", "green"]
    seconds: Literal[60, 300]
    maybe: int | None
    seen: Stamp | None
    renamed: Annotated[Stamp, "When it was renamed"]
    later: NotRequired[Annotated[str, "Only sometimes"]]
    leaf: Leaf
    leaves: list[Leaf]
    numbers: list[int]
    grouped: dict[str, list[Leaf]]


class Box(TypedDict, Generic[ItemT]):
    label: str
    item: ItemT


class LeafBox(Box[Leaf]):
    pass


class Unmappable(TypedDict):
    when: bytes


class _View(APIView):
    authentication_classes = ()

    @extend_schema(responses={200: component(Everything), 201: component(LeafBox)})
    def get(self, request: Request) -> Response:
        return Response({})


@pytest.fixture(scope="module")
def schemas():
    generator = SchemaGenerator(patterns=[path("shapes", _View.as_view())])
    return generator.get_schema(request=None, public=True)["components"]["schemas"]


def test_each_kind_of_hint_becomes_its_openapi_form(schemas):
    shape = schemas["Everything"]["properties"]

    assert shape["count"] == {"type": "integer"}
    assert shape["name"] == {"type": "string", "description": "Shown as is"}
    assert shape["flag"] == {"type": "boolean"}
    assert shape["ratio"] == {"type": "number", "format": "double"}
    assert schemas[shape["colour"]["$ref"].rsplit("/", 1)[1]]["enum"] == ["red", "green"]
    assert schemas[shape["seconds"]["$ref"].rsplit("/", 1)[1]]["enum"] == [60, 300]
    assert shape["maybe"] == {"type": "integer", "nullable": True}
    assert shape["seen"] == {
        "type": "string",
        "nullable": True,
        "description": "UTC, YYYY-MM-DD HH:MM:SS",
    }
    assert shape["renamed"]["description"] == "When it was renamed"
    assert shape["numbers"] == {"type": "array", "items": {"type": "integer"}}


def test_keys_keep_their_order_and_only_not_required_ones_are_optional(schemas):
    shape = schemas["Everything"]

    assert list(shape["properties"]) == list(Everything.__annotations__)
    assert set(shape["required"]) == set(Everything.__annotations__) - {"later"}
    assert shape["properties"]["later"] == {"type": "string", "description": "Only sometimes"}


def test_nested_shapes_are_one_shared_component(schemas):
    shape = schemas["Everything"]["properties"]
    ref = {"$ref": "#/components/schemas/Leaf"}

    assert shape["leaf"] == ref
    assert shape["leaves"] == {"type": "array", "items": ref}
    assert shape["grouped"] == {
        "type": "object",
        "additionalProperties": {"type": "array", "items": ref},
    }
    assert schemas["Leaf"] == {
        "type": "object",
        "properties": {"id": {"type": "integer"}},
        "required": ["id"],
    }


def test_a_generic_shape_takes_the_type_its_subclass_gives(schemas):
    assert schemas["LeafBox"]["properties"] == {
        "label": {"type": "string"},
        "item": {"$ref": "#/components/schemas/Leaf"},
    }


def test_a_shape_is_built_once_and_named_after_itself():
    assert component(Everything) is component(Everything)
    assert component(Everything).__name__ == "Everything"


def test_a_hint_without_an_openapi_form_is_refused_by_name():
    with pytest.raises(TypeError, match=r"Unmappable\.when"):
        component(Unmappable)


def test_only_typeddicts_are_shapes():
    with pytest.raises(TypeError, match="not a TypedDict"):
        component(dict)
