"""docker/Caddyfile, checked by Debian's caddy: valid in both modes, and routing as promised."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest

from . import compose_file

CADDYFILE = compose_file.DOCKER / "Caddyfile"
PRODUCTION = {"DOMAIN": "chat.example.com", "ACME_EMAIL": "ops@example.com"}
DEVELOPMENT = {"DOMAIN": "localhost", "ACME_EMAIL": "admin@localhost"}


def caddy(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("caddy")
    assert binary, "caddy is not installed (apt-get install caddy; .ci/run does)"
    # Exactly the environment the caddy service gets from compose, nothing from this shell.
    service_env = compose_file.interpolated(env)["services"]["caddy"]["environment"]
    return subprocess.run(
        [binary, *args, "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env={
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", "/tmp"),
            **service_env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def adapted(env: dict[str, str]) -> dict[str, Any]:
    result = caddy("adapt", env=env)
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = json.loads(result.stdout)
    return config


def site_routes(config: dict[str, Any]) -> list[dict[str, Any]]:
    (server,) = config["apps"]["http"]["servers"].values()
    (site,) = server["routes"]
    (subroute,) = site["handle"]
    routes: list[dict[str, Any]] = subroute["routes"]
    return routes


def find(node: Any, key: str) -> list[Any]:
    """Every value stored under `key` anywhere in `node`."""
    found: list[Any] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                found.append(v)
            found.extend(find(v, key))
    elif isinstance(node, list):
        for item in node:
            found.extend(find(item, key))
    return found


@pytest.mark.parametrize("env", [PRODUCTION, DEVELOPMENT], ids=["production", "development"])
def test_caddy_validates_the_caddyfile(env):
    result = caddy("validate", env=env)
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def test_the_site_is_the_domain_on_https():
    config = adapted(PRODUCTION)
    (server,) = config["apps"]["http"]["servers"].values()
    assert server["listen"] == [":443"]
    assert find(server["routes"][0]["match"], "host") == [["chat.example.com"]]


def test_production_certificates_come_from_one_acme_ca_so_livekit_finds_them():
    policies = adapted(PRODUCTION)["apps"]["tls"]["automation"]["policies"]
    issuers = [issuer for policy in policies for issuer in policy["issuers"]]
    assert issuers == [
        {
            "module": "acme",
            "ca": "https://acme-v02.api.letsencrypt.org/directory",
            "email": "ops@example.com",
        }
    ]


def test_localhost_gets_caddys_internal_certificate_not_acme():
    assert adapted(DEVELOPMENT)["apps"].get("tls") is None


def test_livekit_prefix_is_stripped_and_proxied_to_the_sfu():
    routes = site_routes(adapted(PRODUCTION))
    livekit = next(r for r in routes if find(r.get("match", []), "path") == [["/livekit/*"]])
    assert find(livekit, "strip_path_prefix") == ["/livekit"]
    assert find(livekit, "dial") == ["host.docker.internal:7880"]


def test_everything_else_goes_to_the_app_unbuffered():
    routes = site_routes(adapted(PRODUCTION))
    fallback = routes[-1]
    assert "match" not in fallback
    assert find(fallback, "dial") == ["app:8000"]
    # The 1.x event stream must not wait in a proxy buffer.
    assert find(fallback, "flush_interval") == [-1]


def test_streams_are_never_compressed():
    routes = site_routes(adapted(PRODUCTION))
    encode = next(r for r in routes if find(r, "handler") == ["encode"])
    excluded = find(encode["match"], "path")
    assert excluded == [["/api/events", "/livekit/*", "/ws/*"]]
    assert find(encode["match"], "not")


def test_bodies_over_16_kb_are_refused_before_they_reach_the_app():
    # the app server would buffer any size of body before the app's own limit could answer.
    fallback = site_routes(adapted(PRODUCTION))[-1]
    assert find(fallback, "max_size") == [16 * 1024]


@pytest.mark.parametrize("path", ["/api/soundboard", "/api/chat/image", "/api/music/upload"])
def test_an_upload_may_be_as_large_as_the_app_allows(path):
    # Each upload route the app gives a larger body limit needs the same limit at the proxy, or
    # the proxy's 16 KB refuses every clip and image before the app sees it.
    from django.conf import settings

    routes = site_routes(adapted(PRODUCTION))
    upload = next(r for r in routes if find(r.get("match", []), "path") == [[path]])
    limit, _ = settings.REQUEST_BODY_LIMITS[path]
    assert find(upload, "max_size") == [limit]
    assert find(upload, "dial") == ["app:8000"]


def test_every_larger_body_limit_has_its_route_at_the_proxy():
    from django.conf import settings

    routes = site_routes(adapted(PRODUCTION))
    paths = {tuple(p) for r in routes for p in find(r.get("match", []), "path")}
    assert {(path,) for path in settings.REQUEST_BODY_LIMITS} <= paths
