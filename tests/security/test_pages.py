"""What a browser is told on every page: CSP without inline scripts, framing refused, nosniff,
referrer and permissions policies, HSTS behind HTTPS; HTML in names is only ever text; and a
page on another site can neither open our WebSocket nor read our API."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import aiohttp
import pytest

from harness.servers import app_servers
from tests.reliability.live import PASSWORD, Cluster, browser_login, call, http_session

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/login", "/admin/login/", "/api/docs/", "/no/such/page", "/api/health", "/api/nope"]
EVIL = "https://evil.example"
HTML_NAME = "<img src=x onerror=alert(1)><script>alert(2)</script>"


def _security_headers(headers: Mapping[str, str]) -> None:
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=(self)" in headers["Permissions-Policy"]
    assert "display-capture=(self)" in headers["Permissions-Policy"]


def _csp(headers: Mapping[str, str]) -> dict[str, str]:
    policy = headers["Content-Security-Policy"]
    return {d.split()[0]: d for d in (x.strip() for x in policy.split(";")) if d}


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_carries_the_security_headers_and_a_strict_csp(cluster, path):
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as browser:
        await browser_login(browser, cluster, "login_user", PASSWORD)
        async with browser.get(f"{cluster.url()}{path}", allow_redirects=False) as response:
            headers = response.headers
    _security_headers(headers)
    csp = _csp(headers)
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    if path.startswith("/api/") and not path.startswith("/api/docs"):
        # JSON: nothing at all may load or run should a browser ever render it.
        assert csp["default-src"] == "default-src 'none'"
        assert set(csp) == {"default-src", "frame-ancestors", "base-uri", "form-action"}
        return
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"].replace("'wasm-unsafe-eval'", "")
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["object-src"] == "object-src 'none'"
    assert csp["default-src"] == "default-src 'self'"


@pytest.fixture(scope="module")
def https_server() -> Iterator[str]:
    """One process configured as in production, behind a TLS proxy that says so."""
    env = {"DJANGO_USE_HTTPS": "1", "TRUSTED_PROXIES": "127.0.0.1"}
    with app_servers(1, extra_env=env) as (server,):
        yield server.url


@pytest.mark.parametrize("path", ["/login", "/api/health", "/admin/login/"])
async def test_behind_https_every_page_adds_hsts_and_plain_http_is_redirected(https_server, path):
    async with aiohttp.ClientSession() as http:
        proxied = {"X-Forwarded-Proto": "https"}
        async with http.get(f"{https_server}{path}", headers=proxied) as response:
            assert response.status == 200
            assert "max-age=63072000" in response.headers["Strict-Transport-Security"]
            _security_headers(response.headers)
        if path != "/api/health":  # the load balancer's probe stays on plain HTTP
            async with http.get(f"{https_server}{path}", allow_redirects=False) as response:
                assert response.status == 301
                assert response.headers["Location"].startswith("https://")


async def test_html_in_a_display_name_is_only_ever_text(cluster: Cluster):
    body = {"username": "html_name", "display_name": HTML_NAME, "password": PASSWORD}
    jar = aiohttp.CookieJar(unsafe=True)
    async with http_session() as http, aiohttp.ClientSession(cookie_jar=jar) as browser:
        status, registered = await call(
            http, cluster, "POST", "/api/auth/register", None, body, headers=cluster.address()
        )
        assert status == 201, registered
        await browser_login(browser, cluster, "html_name", PASSWORD)
        async with browser.get(f"{cluster.url()}/") as page:
            html = await page.text()
        async with browser.get(f"{cluster.url()}/api/users") as users:
            api_type = users.headers["Content-Type"]
            listed = await users.json()

    # The page hands the name to its scripts as JSON that cannot close the script element.
    assert "<img src=x" not in html and "<script>alert" not in html
    config = re.search(r'<script id="app-config" type="application/json">(.*?)</script>', html)
    assert config is not None and "\\u003Cimg src=x" in config.group(1)
    # The API serves it as JSON that browsers will not sniff into HTML.
    assert api_type.startswith("application/json")
    assert HTML_NAME in [u["display_name"] for u in listed["users"]]


def test_the_browser_code_never_parses_strings_as_html():
    # Names reach the DOM through textContent only; an HTML sink here would execute them.
    sinks = re.compile(r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "static" / "js").rglob("*.js"))
        if "tests" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if sinks.search(line)
    ]
    assert offenders == []


async def test_a_page_on_another_site_cannot_open_our_websocket(cluster: Cluster):
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as browser:
        await browser_login(browser, cluster, "login_user", PASSWORD)
        for headers in ({"Origin": EVIL}, {}):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await browser.ws_connect(f"{cluster.ws_url()}/ws/events", headers=headers)
            assert refused.value.status == 403
        # A bearer token does not make a cross-site handshake acceptable either.
        token = {"Origin": EVIL, "Authorization": f"Bearer {cluster.login.token}"}
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await browser.ws_connect(f"{cluster.ws_url(1)}/ws/events", headers=token)
        assert refused.value.status == 403
        # Our own origin with the session cookie is what the UI does, and it works.
        ws = await browser.ws_connect(
            f"{cluster.ws_url()}/ws/events", headers={"Origin": cluster.url()}
        )
        hello = await ws.receive_json(timeout=10)
        assert hello["type"] == "hello" and hello["data"]["me"]["username"] == "login_user"
        await ws.close()


async def test_a_page_on_another_site_cannot_read_our_api(cluster: Cluster):
    async with http_session() as http:
        preflight = {"Origin": EVIL, "Access-Control-Request-Method": "POST"}
        async with http.options(f"{cluster.url()}/api/rooms", headers=preflight) as response:
            assert "Access-Control-Allow-Origin" not in response.headers
        headers = {"Origin": EVIL, **cluster.login.auth}
        async with http.get(f"{cluster.url()}/api/rooms", headers=headers) as response:
            assert "Access-Control-Allow-Origin" not in response.headers
        url = f"{cluster.url(1)}/api/events?token={cluster.login.token}"
        async with http.get(url, headers={"Origin": EVIL}) as stream:
            assert stream.status == 200
            assert "Access-Control-Allow-Origin" not in stream.headers
