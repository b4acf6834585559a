"""The wire shapes of core's answers: the 1.x error body and the process-level endpoints."""

from __future__ import annotations

from typing import Annotated, TypedDict


class Error(TypedDict):
    error: Annotated[str, "Shown to users verbatim by 1.x clients."]


class Health(TypedDict):
    status: str


class Ping(TypedDict):
    t: int


class ServerInfo(TypedDict):
    city: str | None
