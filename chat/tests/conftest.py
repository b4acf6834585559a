"""Fixtures for the chat tests: a room with people in it, API clients, real image files, and a
private folder for stored images."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from accounts.models import User


@pytest.fixture(autouse=True)
def _image_folder(settings, tmp_path):
    """Stored images go to this test's own folder."""
    folder = tmp_path / "chat-images"
    settings.STORAGES = {
        **settings.STORAGES,
        "chat_images": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder


@pytest.fixture
def image_folder(_image_folder):
    return _image_folder


def image_file(kind: str = "PNG", size: tuple[int, int] = (40, 30), **save: Any) -> bytes:
    """A real image of `kind`, with whatever `save` options (EXIF, comments) are given."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind, **save)
    return out.getvalue()


@pytest.fixture
def png() -> bytes:
    return image_file("PNG")


def _sends_key(user: User) -> tuple[Any, str]:
    from django.core.cache import cache

    key = cache.make_key(f"chat:sends:{user.pk}")
    return cache._cache.get_client(key, write=True), key  # type: ignore[attr-defined]


def redis_now_ms() -> int:
    client, _ = _sends_key(User(pk=0))
    seconds, micros = client.time()
    return int(seconds) * 1000 + int(micros) // 1000


@pytest.fixture
def sends_ago() -> Callable[..., None]:
    """Records accepted sends of `user` this many ms ago, in the shared limiter's own store (so
    tests set up the limit's state exactly, without waiting)."""

    def record(user: User, *ago_ms: int) -> None:
        client, key = _sends_key(user)
        now = redis_now_ms()
        client.zadd(key, {f"seeded-{ago}": now - ago for ago in ago_ms})
        client.pexpire(key, 10_000)

    return record


@pytest.fixture
def forget_sends() -> Callable[[User], None]:
    """Clears `user`'s accepted sends, so a test can send again at once."""

    def forget(user: User) -> None:
        client, key = _sends_key(user)
        client.delete(key)

    return forget
