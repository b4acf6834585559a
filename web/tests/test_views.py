"""The pages: who sees which, and what each hands the browser (import map, nonce, config)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from accounts.models import User
from moderation.models import VOTE_MIN_PEOPLE
from web.assets import import_map

pytestmark = pytest.mark.django_db


def _config(html: str) -> dict[str, object]:
    match = re.search(r'<script id="app-config" type="application/json">(.*?)</script>', html)
    assert match, "the page carries its config"
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_the_app_sends_strangers_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login"


def test_sign_in_page_sets_the_csrf_cookie_and_nonces_its_import_map(client: Client) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert nonce, "script-src carries a per-response nonce"
    html = response.content.decode()
    assert f'<script type="importmap" nonce="{nonce.group(1)}">' in html
    # Every other script is an external file: nothing inline runs without the nonce.
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert all(f'nonce="{nonce.group(1)}"' in tag for tag in inline)
    assert "me" not in _config(html)


def test_signed_in_user_gets_the_app_with_their_details(
    client: Client, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice", "Alice <b>")
    client.force_login(alice)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    config = _config(html)
    assert config["me"] == {
        "id": alice.pk,
        "username": "alice",
        "display_name": "Alice <b>",
        "last_room_id": None,
        "is_staff": False,
    }
    # Names in the config cannot close the script element.
    assert "Alice <b>" not in html
    assert str(config["e2eeWorkerUrl"]).endswith("livekit-client.e2ee.worker.mjs")
    assert client.get("/login")["Location"] == "/"


def test_the_app_hands_the_page_the_servers_own_rules(
    client: Client, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user("alice"))
    config = _config(client.get("/").content.decode())
    assert config["voteMinPeople"] == VOTE_MIN_PEOPLE == 3
    assert config["roomName"] == {
        "maxLength": 64,
        "allowed": "letters, numbers, spaces, emoji and - ! @ # & ( )",
    }


def test_pages_refuse_unsafe_methods(client: Client) -> None:
    assert client.post("/login").status_code == 405
    assert client.post("/").status_code == 405


def test_the_import_map_names_livekit_and_leaves_out_tests() -> None:
    imports = import_map()["imports"]
    assert imports["livekit-client"] == "/static/vendor/livekit-client/livekit-client.esm.mjs"
    # Without hashed names every module is already at its plain URL: nothing to remap.
    assert not any("/tests/" in url or "/boot/" in url for url in imports)


def test_livekit_paths_without_a_media_server_say_unavailable_not_missing(client: Client) -> None:
    # livekit-client reads a 404 from /rtc/validate as an old server and keeps retrying.
    response = client.get("/livekit/rtc/validate?access_token=x")
    assert response.status_code == 503
    assert response.json() == {"error": "No media server is reachable at this address"}
    assert response["Retry-After"] == "30"


def test_no_test_code_is_a_static_file_or_in_the_import_map():
    # The JS unit tests and their fakes live in tests/js/: collectstatic never publishes them.
    published = [
        path
        for finder in finders.get_finders()
        for path, _storage in finder.list(ignore_patterns=[])
    ]
    assert published, "the finders found no static files at all"
    assert not [p for p in published if p.endswith(".test.js") or "/tests/" in f"/{p}"]
    assert not [name for name in import_map()["imports"] if "test" in name]
