"""Shared fixtures: the personas every test speaks of, and a recorder of published events.

Personas: alice creates rooms, bob/carol/dave are members, mallory misbehaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import User, bcrypt_hash
from accounts.tokens import token_mint
from harness.fake_livekit import FakeLiveKit, running_fake_livekit
from realtime import events, publish
from rooms.models import Room
from rooms.services.membership import membership_enter


@pytest.fixture(scope="session")
def persona_password_hash() -> str:
    # One real cost-12 bcrypt hash for every persona: hashing per test would dominate the suite.
    return bcrypt_hash("correct horse battery staple")


PERSONA_PASSWORD = "correct horse battery staple"


def _persona(username: str, display_name: str, password_hash: str) -> User:
    return User.objects.create(username=username, display_name=display_name, password=password_hash)


@pytest.fixture
def make_user(db: None, persona_password_hash: str) -> Callable[..., User]:
    def make(username: str, display_name: str | None = None) -> User:
        return _persona(username, display_name or username.title(), persona_password_hash)

    return make


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user("alice", "Alice")


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    return make_user("bob", "Bob")


@pytest.fixture
def carol(make_user: Callable[..., User]) -> User:
    return make_user("carol", "Carol")


@pytest.fixture
def dave(make_user: Callable[..., User]) -> User:
    return make_user("dave", "Dave")


@pytest.fixture
def mallory(make_user: Callable[..., User]) -> User:
    return make_user("mallory", "Mallory")


@dataclass
class Published:
    """Events sent after commit, in order, with their scopes."""

    sent: list[tuple[events.Event, publish.Audience]] = field(default_factory=list)

    def names(self) -> list[str]:
        return [event.name for event, _ in self.sent]

    def of(self, event_type: type[events.Event]) -> list[tuple[Any, publish.Audience]]:
        return [(e, s) for e, s in self.sent if isinstance(e, event_type)]

    def clear(self) -> None:
        self.sent.clear()


@pytest.fixture
def published(transactional_db: None) -> Iterator[Published]:
    """Records every event that really went out (after commit), so rolled-back work shows none."""
    recorder = Published()
    undo = publish.add_recorder(lambda event, scope: recorder.sent.append((event, scope)))
    yield recorder
    undo()


@pytest.fixture
def fake_livekit(settings: Any) -> Iterator[FakeLiveKit]:
    """A real local LiveKit room service (harness/fake_livekit.py) that LIVEKIT_URL and
    the LiveKit keys point at for the duration of the test."""
    with running_fake_livekit() as server:
        settings.LIVEKIT_URL = server.url
        settings.LIVEKIT_API_KEY = server.api_key
        settings.LIVEKIT_API_SECRET = server.api_secret
        yield server


@pytest.fixture(autouse=True)
def _fresh_cache_keys() -> Iterator[None]:
    # Rate-limit counters live in Redis; each test starts with none. Only this run's own key
    # prefix is deleted (cache.clear() would flush the whole database under other runs).
    yield
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def lounge(alice: User) -> Room:
    """A room alice created."""
    return Room.objects.create(name="Lounge", created_by=alice)


@pytest.fixture
def seated(lounge: Room, alice: User, bob: User, carol: User) -> Room:
    """The lounge with alice, bob and carol in it; dave and mallory are elsewhere or nowhere."""
    for user in (alice, bob, carol):
        membership_enter(user=user, room=lounge)
    return lounge


@pytest.fixture
def api_as() -> Callable[[User], APIClient]:
    """An API client speaking as `user` with a bearer token, as 1.x and 2.x clients do."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_mint(user=user)}")
        return client

    return make
