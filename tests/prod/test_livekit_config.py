"""`manage.py write_livekit_config`: the SFU's config, parsed back and checked in both modes."""

from __future__ import annotations

import io
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import resolve

from harness.servers import ROOT, TEST_SECRETS

from . import compose_file

LONG_SECRET = "s" * 48
LETS_ENCRYPT_DIR = "/caddy-data/caddy/certificates/acme-v02.api.letsencrypt.org-directory"


def written(*args: str, secret: str = LONG_SECRET) -> dict[str, Any]:
    out = io.StringIO()
    with override_settings(LIVEKIT_API_KEY="APIkey123", LIVEKIT_API_SECRET=secret):
        call_command("write_livekit_config", *args, stdout=out)
    text = out.getvalue()
    assert text.startswith("# Written by `manage.py write_livekit_config`")
    config: dict[str, Any] = yaml.safe_load(text)
    return config


@pytest.fixture(autouse=True)
def _no_deployment_env(monkeypatch):
    # Option defaults come from the environment; a developer's shell must not leak in.
    for name in ("DOMAIN", "LIVEKIT_MODE", "LIVEKIT_WEBHOOK_URL", "ACME_CA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("CADDY_CERTIFICATES_DIR", raising=False)


def test_both_modes_share_keys_ports_and_a_webhook_signed_with_the_api_key():
    for args in (["--mode", "dev"], ["--mode", "production", "--domain", "chat.example.com"]):
        config = written(*args)
        assert config["keys"] == {"APIkey123": LONG_SECRET}
        assert config["webhook"] == {
            "api_key": "APIkey123",
            "urls": ["http://127.0.0.1:8000/api/livekit/webhook"],
        }
        assert config["port"] == 7880
        assert config["rtc"]["tcp_port"] == 7881
        assert (config["rtc"]["port_range_start"], config["rtc"]["port_range_end"]) == (
            50201,
            50400,
        )


def test_development_keeps_ice_local_and_turn_off():
    config = written("--mode", "dev", "--domain", "chat.example.com")
    assert config["rtc"]["use_external_ip"] is False
    assert config["turn"] == {"enabled": False}
    # Without a STUN server of our own LiveKit would hand clients Google's: none on a laptop.
    assert config["rtc"]["stun_servers"] == ["127.0.0.1:3478"]
    assert config["rtc"]["enable_loopback_candidate"] is True


def test_local_mode_listens_and_offers_loopback_only_on_the_ports_given():
    config = written("--mode", "local", "--port", "17880", "--udp-port", "17882")
    assert config["bind_addresses"] == ["127.0.0.1"]
    assert config["port"] == 17880
    rtc = config["rtc"]
    assert rtc["udp_port"] == 17882 and "port_range_start" not in rtc
    assert rtc["tcp_port"] == 0  # no ICE/TCP listener on every interface
    assert rtc["node_ip"] == "127.0.0.1"
    assert rtc["ips"] == {"includes": ["127.0.0.0/8"]}
    assert rtc["stun_servers"] == ["127.0.0.1:3478"]
    assert config["turn"] == {"enabled": False}


def test_production_turns_on_turn_over_udp_and_tls_with_caddys_certificate():
    config = written("--mode", "production", "--domain", "Chat.Example.com")
    assert config["rtc"]["use_external_ip"] is True
    folder = f"{LETS_ENCRYPT_DIR}/chat.example.com"
    assert config["turn"] == {
        "enabled": True,
        "domain": "Chat.Example.com",
        "udp_port": 3478,
        "tls_port": 5349,
        "cert_file": f"{folder}/chat.example.com.crt",
        "key_file": f"{folder}/chat.example.com.key",
    }


def test_a_staging_ca_moves_the_certificate_path_with_it():
    config = written(
        "--mode",
        "production",
        "--domain",
        "chat.example.com",
        "--acme-ca",
        "https://acme-staging-v02.api.letsencrypt.org/directory",
    )
    assert config["turn"]["cert_file"] == (
        "/caddy-data/caddy/certificates/acme-staging-v02.api.letsencrypt.org-directory/"
        "chat.example.com/chat.example.com.crt"
    )


@pytest.mark.parametrize(
    ("domain", "production"),
    [
        ("chat.example.com", True),
        ("localhost", False),
        ("app.localhost", False),
        ("192.0.2.7", False),
        ("", False),
    ],
)
def test_auto_mode_is_production_only_for_a_public_name(domain, production):
    config = written("--domain", domain)
    assert config["turn"]["enabled"] is production
    assert config["rtc"]["use_external_ip"] is production


def test_production_refuses_a_secret_livekit_would_refuse():
    with pytest.raises(CommandError, match="at least 32 characters"):
        written("--mode", "production", "--domain", "chat.example.com", secret="short")


def test_production_refuses_a_name_no_ca_will_certify():
    with pytest.raises(CommandError, match="DOMAIN"):
        written("--mode", "production", "--domain", "localhost")


def test_the_file_is_replaced_whole_and_private(tmp_path):
    target = tmp_path / "livekit" / "livekit.yaml"
    target.parent.mkdir()
    target.write_text("old")
    with override_settings(LIVEKIT_API_KEY="APIkey123", LIVEKIT_API_SECRET=LONG_SECRET):
        call_command("write_livekit_config", "--mode", "dev", "--output", str(target))
    assert yaml.safe_load(target.read_text())["keys"] == {"APIkey123": LONG_SECRET}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["livekit.yaml"]


def test_the_app_container_writes_a_config_whose_webhook_is_a_real_route(tmp_path):
    # Run as the app container does (docker/app-start.sh), with the environment compose gives it.
    env = compose_file.local_app_env(tmp_path, REDIS_URL="")
    output = tmp_path / "livekit.yaml"
    result = subprocess.run(
        [sys.executable, "manage.py", "write_livekit_config", "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(output.read_text())
    assert config["keys"] == {TEST_SECRETS["LIVEKIT_API_KEY"]: TEST_SECRETS["LIVEKIT_API_SECRET"]}
    assert config["turn"]["enabled"] is True
    (url,) = config["webhook"]["urls"]
    assert url.startswith("http://127.0.0.1:8000/")
    path = "/" + url.split("/", 3)[3]
    assert resolve(path).url_name == "livekit-webhook"


# --- docker/livekit-entrypoint.sh ---------------------------------------------------------------

ENTRYPOINT = compose_file.DOCKER / "livekit-entrypoint.sh"
STUB_SERVER = """#!{python}
import pathlib, signal, sys, time
log = pathlib.Path({log!r})
log.write_text(" ".join(sys.argv[1:]) + "\\n")
def stop(*_):
    with log.open("a") as f:
        f.write("terminated\\n")
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
while True:
    time.sleep(0.05)
"""


def wait_until(predicate: Any, timeout: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def start_entrypoint(tmp_path: Path, config_text: str) -> tuple[subprocess.Popen[str], Path]:
    log = tmp_path / "server.log"
    stub = tmp_path / "livekit-server"
    stub.write_text(STUB_SERVER.format(python=sys.executable, log=str(log)))
    stub.chmod(0o755)
    config = tmp_path / "livekit.yaml"
    config.write_text(config_text)
    process = subprocess.Popen(
        ["sh", str(ENTRYPOINT)],
        env={
            "PATH": "/usr/bin:/bin",
            "LIVEKIT_CONFIG_FILE": str(config),
            "LIVEKIT_SERVER": str(stub),
            "LIVEKIT_WATCH_SECONDS": "0.1",
            "LIVEKIT_WAIT_SECONDS": "0.1",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, log


def production_config(tmp_path: Path) -> tuple[str, Path, Path]:
    cert, key = tmp_path / "certs" / "site.crt", tmp_path / "certs" / "site.key"
    text = yaml.safe_dump(
        {"port": 7880, "turn": {"enabled": True, "cert_file": str(cert), "key_file": str(key)}}
    )
    return text, cert, key


def test_livekit_waits_for_caddys_certificate_then_starts(tmp_path):
    text, cert, key = production_config(tmp_path)
    process, log = start_entrypoint(tmp_path, text)
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=0.5)
        assert not log.exists()
        cert.parent.mkdir()
        cert.write_text("CERT")
        key.write_text("KEY")
        wait_until(log.exists)
        assert log.read_text().split() == ["--config", str(tmp_path / "livekit.yaml")]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_renewed_certificate_restarts_livekit(tmp_path):
    text, cert, key = production_config(tmp_path)
    cert.parent.mkdir()
    cert.write_text("CERT 1")
    key.write_text("KEY")
    process, log = start_entrypoint(tmp_path, text)
    wait_until(log.exists)
    cert.write_text("CERT 2")
    # The entrypoint stops LiveKit and exits; the restart policy starts it with the new files.
    assert process.wait(timeout=10) == 0
    assert log.read_text().splitlines()[-1] == "terminated"


def rewrite(config: Path, text: str) -> None:
    # As write_livekit_config does: a rename, so the watcher never reads a half-written file.
    staged = config.with_suffix(".new")
    staged.write_text(text)
    staged.replace(config)


def test_an_unchanged_rewrite_of_the_config_does_not_restart_livekit(tmp_path):
    process, log = start_entrypoint(tmp_path, "port: 7880\n")
    try:
        wait_until(log.exists)
        rewrite(tmp_path / "livekit.yaml", "port: 7880\n")
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=0.6)
        rewrite(tmp_path / "livekit.yaml", "port: 7890\n")
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_stopping_the_container_stops_livekit(tmp_path):
    process, log = start_entrypoint(tmp_path, "port: 7880\n")
    wait_until(log.exists)
    process.terminate()
    assert process.wait(timeout=10) == 0
    assert log.read_text().splitlines()[-1] == "terminated"
