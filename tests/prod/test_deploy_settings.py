"""Production settings as the compose stack sets them: `check --deploy` is clean, and a real app
server process sends the headers of product.md §4 itself, whatever proxy is (or is not) in front."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message

import pytest

from harness.servers import ROOT, AppServer, app_servers

from . import compose_file


def test_check_deploy_reports_nothing_for_the_compose_environment(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=compose_file.local_app_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets(tmp_path):
    env = compose_file.local_app_env(tmp_path)
    del env["JWT_SECRET"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "Missing required environment variable: JWT_SECRET" in result.stderr


@pytest.fixture(scope="module")
def production_server(tmp_path_factory) -> Iterator[AppServer]:
    """One app server with the compose environment; the test client plays Caddy (127.0.0.1)."""
    data_dir = tmp_path_factory.mktemp("deploy")
    env = compose_file.local_app_env(data_dir)
    extra = {
        key: env[key]
        for key in (
            "DJANGO_USE_HTTPS",
            "DJANGO_CSRF_TRUSTED_ORIGINS",
            "LIVEKIT_PUBLIC_URL",
            "SCHEDULER_IN_PROCESS",
        )
    }
    extra.update(
        {
            "DJANGO_ALLOWED_HOSTS": "chat.example.com,127.0.0.1,localhost",
            "TRUSTED_PROXIES": "127.0.0.1",
            "DISTOKOLOSHE_ENV_FILE": "/dev/null",
        }
    )
    with app_servers(1, extra_env=extra, data_dir=data_dir) as (server,):
        yield server


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(server: AppServer, path: str, headers: dict[str, str]) -> tuple[int, Message]:
    """The status and the headers (looked up regardless of case, as HTTP has them)."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(server.url + path, headers=headers)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


VIA_CADDY = {"Host": "chat.example.com", "X-Forwarded-Proto": "https"}


@pytest.mark.slow
def test_pages_carry_every_security_header(production_server):
    status, headers = fetch(production_server, "/login", VIA_CADDY)
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Permissions-Policy"] == (
        "camera=(self), microphone=(self), display-capture=(self), geolocation=()"
    )
    csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert csp["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in csp["script-src"]
    # /livekit/ is proxied on our own host: the browser must be allowed to open wss:// to it.
    assert csp["connect-src"].split() == ["'self'", "wss://chat.example.com"]


@pytest.mark.slow
def test_api_responses_carry_the_headers_too(production_server):
    status, headers = fetch(production_server, "/api/server-info", VIA_CADDY)
    assert status == 200
    assert "Strict-Transport-Security" in headers
    assert headers["Permissions-Policy"].startswith("camera=(self)")
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.slow
def test_plain_http_is_redirected_to_https(production_server):
    status, headers = fetch(production_server, "/login", {"Host": "chat.example.com"})
    assert status == 301
    assert headers["Location"] == "https://chat.example.com/login"


@pytest.mark.slow
def test_health_answers_plain_http_on_loopback_for_the_container_check(production_server):
    # Exactly what the compose health check does: no proxy, no Host rewriting.
    status, _ = fetch(production_server, "/api/health", {})
    assert status == 200
    with urllib.request.urlopen(production_server.url + "/api/health", timeout=10) as response:
        assert json.loads(response.read()) == {"status": "ok"}


@pytest.mark.slow
def test_livekit_webhook_is_not_redirected_away_from_loopback(production_server):
    request = urllib.request.Request(
        production_server.url + "/api/livekit/webhook", data=b"{}", method="POST"
    )
    request.add_header("Content-Type", "application/webhook+json")
    try:
        urllib.request.urlopen(request, timeout=10)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    # Unsigned, so refused, but by the webhook view itself rather than by an HTTPS redirect.
    assert status == 401


@pytest.mark.slow
def test_unknown_hosts_are_refused(production_server):
    status, _ = fetch(production_server, "/login", {**VIA_CADDY, "Host": "evil.example.net"})
    assert status == 400


def test_static_files_are_collected_as_the_image_build_does(tmp_path):
    result = subprocess.run(
        ["sh", str(compose_file.DOCKER / "collect-static.sh")],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHON": sys.executable, "STATIC_ROOT": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert any(name.startswith("admin/") for name in manifest)
    if (ROOT / "package-lock.json").exists():
        # livekit-client (and its E2EE worker) is served from our origin, hashed for caching.
        worker = "vendor/livekit-client/livekit-client.e2ee.worker.mjs"
        assert worker in manifest
        assert (tmp_path / manifest[worker]).is_file()
        assert (tmp_path / f"{manifest[worker]}.gz").is_file()
