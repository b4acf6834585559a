"""Admin for users: searchable, read-mostly, and log out everywhere through the service."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import User
from accounts.tokens import token_mint


@pytest.fixture
def staff(make_user) -> Client:
    admin_user = make_user("root", "Root")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_user_list_is_searchable(staff, alice, bob):
    response = staff.get("/admin/accounts/user/", {"q": "ali"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "alice" in html and ">bob<" not in html


@pytest.mark.django_db
def test_users_cannot_be_deleted_and_names_are_read_only(staff, alice):
    assert staff.get(f"/admin/accounts/user/{alice.pk}/delete/").status_code == 403
    staff.post(
        f"/admin/accounts/user/{alice.pk}/change/",
        {"username": "hacked", "display_name": "Hacked", "is_active": "on", "is_staff": "on"},
    )
    alice.refresh_from_db()
    assert (alice.username, alice.display_name, alice.is_staff) == ("alice", "Alice", True)


def add_user(staff, **fields):
    body = {
        "username": "newbie",
        "display_name": " New Person ",
        "password": "a long passphrase",
        "password_again": "a long passphrase",
        **fields,
    }
    return staff.post("/admin/accounts/user/add/", body)


def test_an_added_user_signs_in_with_the_password_set_as_registering_sets_it(published):
    root = User.objects.create(
        username="root", display_name="Root", is_staff=True, is_superuser=True
    )
    staff = Client()
    staff.force_login(root)
    published.clear()

    assert staff.get("/admin/accounts/user/add/").status_code == 200
    added = add_user(staff)

    assert added.status_code == 302
    newbie = User.objects.get(username="newbie")
    assert newbie.display_name == "New Person"
    # bcrypt, as registering hashes (at cost 12 outside these tests).
    assert newbie.password.startswith("$2b$") and newbie.check_password("a long passphrase")
    assert (newbie.is_staff, newbie.is_active) == (False, True)
    assert published.names() == ["user:registered"]
    login = Client().post(
        "/api/auth/login",
        {"username": "newbie", "password": "a long passphrase"},
        content_type="application/json",
    )
    assert login.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"username": "Alice"}, "Username already taken"),
        ({"username": "no spaces"}, "Username must be 3-32 characters, alphanumeric or underscore"),
        ({"password": "short", "password_again": "short"}, "Password must be 8-128 characters"),
        ({"password_again": "something else"}, "The two passwords differ."),
    ],
)
def test_adding_a_user_refuses_what_registering_refuses(staff, alice, fields, error):
    refused = add_user(staff, **fields)

    assert refused.status_code == 200
    assert error in refused.content.decode()
    assert (
        not User.objects.filter(username__iexact=fields.get("username", "newbie"))
        .exclude(pk=alice.pk)
        .exists()
    )


@pytest.mark.django_db
def test_the_logout_everywhere_action_refuses_old_tokens(staff, alice, client):
    token = token_mint(user=alice)
    staff.post(
        "/admin/accounts/user/",
        {"action": "logout_everywhere", "_selected_action": [alice.pk]},
    )
    response = client.get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401


@pytest.mark.django_db
def test_the_admin_is_branded_and_every_model_reads_in_plain_words(staff):
    html = staff.get("/admin/").content.decode()

    assert "<title>Server administration | disTokoloshe admin</title>" in html
    assert ">disTokoloshe administration</a>" in html
    assert "Django administration" not in html
    names = re.findall(r'<th scope="row"[^>]*>\s*<a href="[^"]+">([^<]+)</a>', html)
    assert {"Server processes", "Moderated rooms", "LiveKit calls", "Presence"} <= set(names)
    # Django adds an "s" to a name unless the model's Meta says better ("Server processs").
    assert not [name for name in names if name.endswith("sss") or name.endswith("moderation")]
