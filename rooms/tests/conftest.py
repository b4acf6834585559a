"""Fixtures for the rooms tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _long_livekit_secret(settings):
    # The development secret ("secret") is shorter than PyJWT's recommended HMAC key length.
    settings.LIVEKIT_API_KEY = "rooms-test-key"
    settings.LIVEKIT_API_SECRET = "rooms-test-livekit-secret-0123456789abcdef0123"
