"""A password change, however it is made, ends every bearer token and every session of the
account except the session that made the change."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from accounts.tokens import token_mint
from conftest import PERSONA_PASSWORD

from .conftest import bearer, post

NEW_PASSWORD = "a brand new passphrase"


def me(client: Client, **extra):
    return client.get("/api/auth/me", **extra)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.UsernameBackend")
    return client


@pytest.mark.django_db
def test_set_password_and_save_ends_old_tokens_and_sessions(client, alice):
    token = token_mint(user=alice)
    browser = signed_in(alice)
    assert me(client, **bearer(token)).status_code == 200
    assert me(browser).status_code == 200

    alice.set_password(NEW_PASSWORD)
    alice.save()

    assert me(client, **bearer(token)).status_code == 401
    assert me(browser).status_code == 401
    fresh = post(client, "/api/auth/login", {"username": "alice", "password": NEW_PASSWORD})
    assert fresh.status_code == 200
    assert me(client, **bearer(fresh.json()["token"])).status_code == 200


@pytest.mark.django_db
def test_saving_only_the_password_field_ends_old_tokens_too(client, alice):
    token = token_mint(user=alice)
    alice.set_password(NEW_PASSWORD)
    alice.save(update_fields=["password"])
    assert me(client, **bearer(token)).status_code == 401


@pytest.mark.django_db
def test_the_changepassword_command_ends_old_tokens(client, alice, monkeypatch):
    token = token_mint(user=alice)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "alice", stdout=io.StringIO())
    assert me(client, **bearer(token)).status_code == 401


@pytest.mark.django_db
def test_a_change_in_the_admin_keeps_only_the_session_that_made_it(client, alice):
    alice.is_staff = True
    alice.save()
    token = token_mint(user=alice)
    changer, elsewhere = signed_in(alice), signed_in(alice)

    response = changer.post(
        "/admin/password_change/",
        {
            "old_password": PERSONA_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302 and response["Location"].endswith("/done/")
    assert me(changer).status_code == 200
    assert me(elsewhere).status_code == 401
    assert me(client, **bearer(token)).status_code == 401


@pytest.mark.django_db
def test_other_saves_and_new_accounts_leave_tokens_alone(client, alice):
    token = token_mint(user=alice)
    alice.display_name = "Alice Renamed"
    alice.save()
    created = User.objects.create_user("newbie", NEW_PASSWORD)

    assert me(client, **bearer(token)).status_code == 200
    assert created.tokens_valid_after is None
