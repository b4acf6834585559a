"""Fixtures for the accounts tests: cheap bcrypt by default, JSON helpers."""

from __future__ import annotations

import json
from typing import Any

import bcrypt
import pytest
from django.test import Client

from accounts import models
from conftest import PERSONA_PASSWORD


@pytest.fixture(autouse=True)
def _cheap_bcrypt(monkeypatch):
    # Registration hashes at cost 12 (a quarter second each); only the test about hashing
    # needs that, so the rest hash at bcrypt's minimum.
    monkeypatch.setattr(models, "BCRYPT_COST", 4)


def post(client: Client, path: str, body: Any = None, **extra: Any):
    """POST `body` as JSON (or a raw string as is)."""
    data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return client.post(path, data, content_type="application/json", **extra)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture(scope="session")
def persona_password_hash() -> str:
    # Every login here checks the personas' hash; at cost 12 that is a quarter second each.
    # The cost itself is asserted where registration hashes.
    return bcrypt.hashpw(PERSONA_PASSWORD.encode(), bcrypt.gensalt(4)).decode()
