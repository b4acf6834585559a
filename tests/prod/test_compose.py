"""docker/compose.yml: valid against the compose specification, and the stack the README promises.

There is no Docker engine on build machines, so the file is checked as Compose would read it:
the specification's JSON schema (as check-jsonschema ships it), then what each service gets.
"""

from __future__ import annotations

import importlib.resources
import json
from typing import Any

import jsonschema
import pytest

from . import compose_file

ENV = {"DOMAIN": "chat.example.com", "ACME_EMAIL": "ops@example.com"}
APP_SERVICES = ("app", "scheduler")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return compose_file.interpolated(ENV)


def compose_schema() -> dict[str, Any]:
    vendored = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    schema: dict[str, Any] = json.loads((vendored / "compose-spec.json").read_text())
    return schema


def test_compose_file_matches_the_compose_specification():
    schema = compose_schema()
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(compose_file.load())
    ]
    assert errors == []


def test_the_schema_refuses_a_misspelt_key():
    # Guards the check above: a schema that accepted anything would prove nothing.
    document = compose_file.load()
    document["services"]["app"]["helthcheck"] = {}
    assert not jsonschema.Draft202012Validator(compose_schema()).is_valid(document)


def test_the_stack_has_every_service(compose):
    assert set(compose["services"]) == {
        "app",
        "scheduler",
        "dj",
        "caddy",
        "livekit",
        "redis",
        "postgres",
    }


def test_every_long_running_service_has_a_health_check_and_a_restart_policy(compose):
    for name, service in compose["services"].items():
        assert service.get("restart") == "unless-stopped", name
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), name


def test_data_certificates_and_redis_live_in_named_volumes(compose):
    declared = set(compose["volumes"])
    mounts = {
        name: {v.split(":")[1] for v in service.get("volumes", []) if v.split(":")[0] in declared}
        for name, service in compose["services"].items()
    }
    assert "/data" in mounts["app"] and "/data" in mounts["scheduler"]
    assert "/data" in mounts["caddy"]  # Caddy's certificates and ACME account
    assert "/data" in mounts["redis"]
    assert "/var/lib/postgresql/data" in mounts["postgres"]


def test_postgres_is_an_optional_profile_the_app_does_not_require(compose):
    assert compose["services"]["postgres"]["profiles"] == ["postgres"]
    dependency = compose["services"]["app"]["depends_on"]["postgres"]
    assert dependency == {"condition": "service_healthy", "required": False}
    assert compose["services"]["app"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_the_scheduler_runs_alone_and_app_processes_do_not_schedule(compose):
    scheduler = compose["services"]["scheduler"]
    assert scheduler["command"] == ["python", "manage.py", "run_scheduler"]
    for name in APP_SERVICES:
        assert compose["services"][name]["environment"]["SCHEDULER_IN_PROCESS"] == "false"
    assert "ports" not in scheduler
    assert "SCHEDULER_HEARTBEAT_FILE" in scheduler["environment"]


def test_app_services_get_production_settings(compose):
    for name in APP_SERVICES:
        env = compose_file.service_environment(name, ENV)
        assert env["DJANGO_DEBUG"] == "0" and env["DJANGO_USE_HTTPS"] == "1"
        assert env["DJANGO_ALLOWED_HOSTS"].split(",")[0] == "chat.example.com"
        assert env["DJANGO_CSRF_TRUSTED_ORIGINS"] == "https://chat.example.com"
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["LIVEKIT_PUBLIC_URL"] == "/livekit/"
        # Caddy is the only proxy believed, at the address the network pins it to.
        assert (
            env["TRUSTED_PROXIES"]
            == compose["services"]["caddy"]["networks"]["internal"]["ipv4_address"]
        )


def test_a_missing_domain_stops_compose_with_a_message():
    with pytest.raises(compose_file.MissingVariable, match="DOMAIN"):
        compose_file.interpolated({})


def test_livekit_runs_on_the_host_network_with_the_generated_config(compose):
    livekit = compose["services"]["livekit"]
    assert livekit["network_mode"] == "host"
    assert "networks" not in livekit and "ports" not in livekit
    assert "livekit-config:/etc/livekit:ro" in livekit["volumes"]
    assert "caddy-data:/caddy-data:ro" in livekit["volumes"]
    assert "livekit-config:/livekit" in compose["services"]["app"]["volumes"]
    entrypoint_mount = next(v for v in livekit["volumes"] if v.startswith("./"))
    assert (compose_file.DOCKER / entrypoint_mount.split(":")[0]).is_file()


def test_the_webhook_reaches_the_app_over_loopback(compose):
    app = compose["services"]["app"]
    assert app["ports"] == ["127.0.0.1:8000:8000"]
    assert app["environment"]["LIVEKIT_WEBHOOK_URL"] == (
        "http://127.0.0.1:8000/api/livekit/webhook"
    )


def test_caddy_publishes_http_https_and_http3(compose):
    caddy = compose["services"]["caddy"]
    assert caddy["ports"] == ["80:80", "443:443", "443:443/udp"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    assert caddy["environment"]["ACME_EMAIL"] == "ops@example.com"


def test_acme_email_defaults_to_an_address_at_the_domain():
    caddy = compose_file.interpolated({"DOMAIN": "chat.example.com"})["services"]["caddy"]
    assert caddy["environment"]["ACME_EMAIL"] == "admin@chat.example.com"


def test_build_context_and_files_exist(compose):
    build = compose["services"]["app"]["build"]
    context = (compose_file.DOCKER / build["context"]).resolve()
    assert context == compose_file.ROOT
    assert (context / build["dockerfile"]).is_file()
    assert (context / f"{build['dockerfile']}.dockerignore").is_file()
