"""token_authenticate: how the 1.x event stream turns `?token=` into a user."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.authentication import token_authenticate
from accounts.services import user_logout_everywhere
from accounts.tokens import token_mint
from core.errors import Unauthorized


@pytest.mark.django_db
def test_a_valid_token_is_its_user(alice):
    assert token_authenticate(token_mint(user=alice)) == alice


@pytest.mark.parametrize("raw", [None, ""])
def test_no_token_is_missing(raw):
    with pytest.raises(Unauthorized) as refused:
        token_authenticate(raw)
    assert (refused.value.status, refused.value.message) == (401, "Missing authorization token")


@pytest.mark.django_db
def test_a_bad_or_revoked_token_is_invalid_or_expired(alice):
    stale = token_mint(user=alice, now=timezone.now() - timedelta(days=8))
    revoked = token_mint(user=alice)
    user_logout_everywhere(user=alice)
    for raw in ("garbage", stale, revoked):
        with pytest.raises(Unauthorized, match="Invalid or expired token"):
            token_authenticate(raw)
    assert token_authenticate(token_mint(user=alice)) == alice
