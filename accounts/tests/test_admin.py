"""Admin for users: searchable, read-mostly, and log out everywhere through the service."""

from __future__ import annotations

import re

import pytest
from django.test import Client

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
def test_users_cannot_be_added_or_deleted_and_names_are_read_only(staff, alice):
    assert staff.get("/admin/accounts/user/add/").status_code == 403
    assert staff.get(f"/admin/accounts/user/{alice.pk}/delete/").status_code == 403
    staff.post(
        f"/admin/accounts/user/{alice.pk}/change/",
        {"username": "hacked", "display_name": "Hacked", "is_active": "on", "is_staff": "on"},
    )
    alice.refresh_from_db()
    assert (alice.username, alice.display_name, alice.is_staff) == ("alice", "Alice", True)


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
