"""Fixtures for the moderation tests: a room with members, and API clients per persona."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import token_mint
from presence.services.connections import presence_connect
from rooms.models import Room
from rooms.services.membership import membership_enter


@pytest.fixture(autouse=True)
def _long_livekit_secret(settings):
    # Jail credentials are minted for real; the development secret is shorter than PyJWT likes.
    settings.LIVEKIT_API_KEY = "moderation-test-key"
    settings.LIVEKIT_API_SECRET = "moderation-test-livekit-secret-0123456789abcdef"
    settings.LIVEKIT_URL = "ws://127.0.0.1:9"


@pytest.fixture
def lounge(alice) -> Room:
    """A voice room alice created."""
    return Room.objects.create(name="Lounge", created_by=alice)


@pytest.fixture
def seated(lounge, alice, bob, carol, dave, mallory):
    """The lounge with all five personas in it (alice first, mallory last), each connected:
    the scheduler's presence sweep takes members with no connection out of their room."""
    for user in (alice, bob, carol, dave, mallory):
        presence_connect(user=user, transport="ws", process_id="moderation-tests")
        membership_enter(user=user, room=lounge)
    return lounge


@pytest.fixture
def client_for() -> Callable[[User], APIClient]:
    """An API client speaking as `user` with a 1.x bearer token."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_mint(user=user)}")
        return client

    return make
