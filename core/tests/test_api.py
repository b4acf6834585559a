"""Process-level 1.x behaviour: health/ping/server-info, JSON errors, slashes, bodies, CORS."""

from __future__ import annotations

import io
import time

import pytest

from accounts.tokens import token_mint
from core.errors import PayloadTooLarge
from core.parsers import LenientJSONParser


def auth(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_mint(user=user)}"}


@pytest.mark.django_db
def test_health(client):
    response = client.get("/api/health")
    assert (response.status_code, response.content) == (200, b'{"status":"ok"}')


@pytest.mark.django_db
def test_ping_is_the_server_clock_in_epoch_milliseconds(client):
    before = int(time.time() * 1000)
    t = client.get("/api/ping").json()["t"]
    assert isinstance(t, int) and before <= t <= int(time.time() * 1000)


@pytest.mark.django_db
def test_server_info_is_the_city_or_null(client, settings):
    settings.SERVER_CITY = None
    assert client.get("/api/server-info").json() == {"city": None}
    settings.SERVER_CITY = "Johannesburg"
    assert client.get("/api/server-info").json() == {"city": "Johannesburg"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/health/", "/api/server-info/", "/api/ping/"])
def test_a_trailing_slash_is_served_without_a_redirect(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_the_docs_keep_their_own_slash(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/nope", "/api/rooms/1/nope", "/api/auth/me/extra"])
def test_an_unknown_api_path_is_a_json_404(client, path):
    response = client.get(path)
    assert (response.status_code, response.json()) == (404, {"error": "Not found"})


@pytest.mark.django_db
def test_a_wrong_method_is_a_json_405(client):
    response = client.get("/api/auth/login")
    assert (response.status_code, response.json()) == (405, {"error": "Method not allowed"})


@pytest.mark.django_db
def test_malformed_json_is_a_400(client, alice):
    response = client.post(
        "/api/rooms", "{not json", content_type="application/json", **auth(alice)
    )
    assert (response.status_code, response.json()) == (400, {"error": "Malformed JSON body"})


@pytest.mark.django_db
def test_a_body_over_16_kb_is_a_413_before_anything_reads_it(client, alice):
    body = '{"name": "' + "x" * (16 * 1024) + '"}'
    response = client.post("/api/rooms", body, content_type="application/json", **auth(alice))
    assert (response.status_code, response.json()) == (413, {"error": "Request body too large"})


@pytest.mark.django_db
def test_a_body_of_exactly_16_kb_is_read(client, alice):
    prefix, suffix = '{"name": "', '"}'
    body = prefix + " " * (16 * 1024 - len(prefix) - len(suffix)) + suffix
    response = client.post("/api/rooms", body, content_type="application/json", **auth(alice))
    assert (response.status_code, response.json()) == (400, {"error": "Room name is required"})


@pytest.mark.django_db
def test_an_unhandled_error_is_a_json_500_without_a_stack_trace(client, alice, monkeypatch):
    def explode():
        raise RuntimeError("secret internals at /srv/app.py line 3")

    monkeypatch.setattr("rooms.api.room_list", explode)

    response = client.get("/api/rooms", **auth(alice))

    assert response.status_code == 500
    assert response.content == b'{"error":"Internal server error"}'


@pytest.mark.django_db
@pytest.mark.parametrize(
    "origin",
    ["tauri://localhost", "http://tauri.localhost", "https://tauri.localhost"],
)
def test_cors_answers_the_desktop_app(client, origin):
    preflight = client.options(
        "/api/rooms",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == origin
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    assert "DELETE" in preflight["Access-Control-Allow-Methods"]
    probe = client.get("/api/rooms", HTTP_ORIGIN=origin)
    assert probe.status_code == 401
    assert probe["Access-Control-Allow-Origin"] == origin


@pytest.mark.django_db
@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost:8000", "null"])
def test_cors_ignores_every_other_origin(client, origin):
    preflight = client.options(
        "/api/rooms", HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in preflight
    assert "Access-Control-Allow-Origin" not in client.get("/api/health", HTTP_ORIGIN=origin)


def test_a_body_without_content_length_is_still_limited_to_16_kb():
    parser = LenientJSONParser()
    body = b'{"name": "' + b"x" * (16 * 1024) + b'"}'
    with pytest.raises(PayloadTooLarge, match="Request body too large"):
        parser.parse(io.BytesIO(body), "application/json")
    assert parser.parse(io.BytesIO(b'{"name": "ok"}'), "application/json") == {"name": "ok"}
