"""The audio worklets and the noise suppressor's WASM are served from our own origin, named in
the page's config, and the page's CSP allows WebAssembly and nothing else beyond 'self'."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.contrib.staticfiles import finders
from django.test import Client

from accounts.models import User
from web.assets import AUDIO_WORKLETS


def test_every_audio_worklet_and_wasm_is_a_static_file_of_ours() -> None:
    for name, path in AUDIO_WORKLETS.items():
        assert finders.find(path), f"{name}: {path} is not among the static files (npm ci?)"


def test_the_app_page_names_them_and_its_csp_allows_exactly_wasm(
    client: Client, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user("alice", "Alice"))
    response = client.get("/")

    html = response.content.decode()
    match = re.search(r'<script id="app-config" type="application/json">(.*?)</script>', html)
    assert match
    worklets = json.loads(match.group(1))["audioWorklets"]
    assert set(worklets) == set(AUDIO_WORKLETS)
    assert all(url.startswith("/static/") for url in worklets.values())
    directives = dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    script = directives["script-src"]
    assert script[:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert len(script) == 3 and script[2].startswith("'nonce-")
