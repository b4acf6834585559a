"""The OpenAPI schema: generated without warnings, and true to the routes clients call."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--file", str(path))
    return path


def test_the_schema_generates_and_validates_without_warnings(tmp_path):
    # Fails naming each view whose request/response shapes are not annotated.
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert target.stat().st_size > 0


def test_paths_are_the_ones_1x_clients_send(schema_file):
    paths = yaml.safe_load(schema_file.read_text())["paths"]
    for path, method in [
        ("/api/health", "get"),
        ("/api/ping", "get"),
        ("/api/server-info", "get"),
        ("/api/auth/register", "post"),
        ("/api/auth/login", "post"),
        ("/api/auth/me", "get"),
        ("/api/auth/logout-all", "post"),
        ("/api/session/login", "post"),
        ("/api/session/register", "post"),
        ("/api/session/logout", "post"),
        ("/api/csrf", "get"),
        ("/api/rooms", "get"),
        ("/api/rooms", "post"),
        ("/api/rooms/members", "get"),
        ("/api/rooms/{room_id}", "delete"),
        ("/api/rooms/{room_id}/join", "post"),
        ("/api/rooms/{room_id}/leave", "post"),
        ("/api/rooms/{room_id}/sync", "post"),
        ("/api/users", "get"),
        ("/api/account", "patch"),
        ("/api/account", "delete"),
        ("/api/account/password", "post"),
        ("/api/events/ping", "post"),
        ("/api/events/leave", "post"),
    ]:
        assert method in paths.get(path, {}), f"{method.upper()} {path} is not documented"


def test_error_answers_are_documented_with_their_messages(schema_file):
    schema = yaml.safe_load(schema_file.read_text())
    register = schema["paths"]["/api/auth/register"]["post"]["responses"]
    assert "`Username already taken`" in register["409"]["description"]
    assert register["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    join = schema["paths"]["/api/rooms/{room_id}/join"]["post"]["responses"]
    assert set(join) >= {"200", "400", "401", "403", "404", "500"}
    assert "bearerAuth" in schema["components"]["securitySchemes"]
    assert "cookieAuth" in schema["components"]["securitySchemes"]
