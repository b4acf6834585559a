"""`manage.py write_livekit_config`: LiveKit's config file, generated from this environment.

The SFU must share the app's API key and secret, post its webhooks to the app signed with that
key, and use the port range the firewall opens. Generating the file from the app's own settings
keeps the two from drifting apart. Production adds TURN (UDP 3478, TLS 5349) with the certificate
Caddy obtained for DOMAIN; development keeps ICE on the local interfaces with TURN off; local
keeps everything on loopback (tests, benchmarks, a machine that must not touch any network).
"""

from __future__ import annotations

import ipaddress
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

SIGNAL_PORT = 7880  # HTTP + WebSocket; only Caddy (/livekit/) and the app talk to it
ICE_TCP_PORT = 7881
MEDIA_PORTS = (50201, 50400)  # UDP, as 1.x opened them
TURN_UDP_PORT = 3478
TURN_TLS_PORT = 5349
# LiveKit refuses shorter API secrets outside its --dev mode.
MIN_PRODUCTION_SECRET = 32
# Handed to clients as their STUN server outside production. LiveKit hands out Google's public
# STUN servers when none is configured; a call between local candidates needs none, and an
# offline machine must not try to reach the internet. Nothing listens here: the browser's
# server-reflexive gathering just finds nothing.
NO_STUN = "127.0.0.1:3478"

Mode = Literal["production", "dev", "local"]


@dataclass(frozen=True)
class Ports:
    """Where the SFU listens. One UDP port (`udp`) muxes every peer, for tests that must not
    collide with another run; otherwise the 1.x range."""

    signal: int = SIGNAL_PORT
    ice_tcp: int = ICE_TCP_PORT
    udp: int | None = None


LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory"
DEFAULT_WEBHOOK_URL = "http://127.0.0.1:8000/api/livekit/webhook"
# Caddy's data volume as the LiveKit container mounts it (read-only).
DEFAULT_CERTIFICATES_DIR = "/caddy-data/caddy/certificates"


def is_public_domain(domain: str) -> bool:
    """Whether a CA can issue a certificate for `domain` (not localhost, not an IP address)."""
    name = domain.strip().lower().rstrip(".")
    if not name or name == "localhost" or name.endswith(".localhost") or "." not in name:
        return False
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return True
    return False


def caddy_certificate(*, certificates_dir: str, ca_url: str, domain: str) -> tuple[str, str]:
    """Where Caddy stores the certificate and key it obtained for `domain` from `ca_url`."""
    # Caddy (certmagic) names the folder after the CA's directory URL: host, then the path with
    # slashes turned into hyphens, e.g. acme-v02.api.letsencrypt.org-directory.
    parts = urlsplit(ca_url)
    issuer = parts.netloc + (
        "-" + parts.path.replace("/", "-").strip("-") if parts.path.strip("/") else ""
    )
    name = domain.strip().lower()
    folder = f"{certificates_dir.rstrip('/')}/{issuer.lower()}/{name}"
    return f"{folder}/{name}.crt", f"{folder}/{name}.key"


def rtc_config(*, mode: Mode, ports: Ports) -> dict[str, Any]:
    """The `rtc` section: which ports carry media and which addresses are offered to peers."""
    rtc: dict[str, Any] = {"tcp_port": ports.ice_tcp}
    if ports.udp is None:
        rtc.update(port_range_start=MEDIA_PORTS[0], port_range_end=MEDIA_PORTS[1])
    else:
        rtc["udp_port"] = ports.udp
    # Behind NAT on a cloud host the public address must be discovered; on a laptop the local
    # interfaces are the right candidates.
    rtc["use_external_ip"] = mode == "production"
    if mode != "production":
        rtc["stun_servers"] = [NO_STUN]
        # A browser on this machine reaches the SFU over loopback too (Chromium only offers a
        # loopback candidate with --allow-loopback-in-peer-connection).
        rtc["enable_loopback_candidate"] = True
    if mode == "local":
        # UDP on loopback never needs the TCP fallback, and a TCP listener would take every
        # interface.
        rtc["tcp_port"] = 0
        rtc["node_ip"] = "127.0.0.1"
        rtc["ips"] = {"includes": ["127.0.0.0/8"]}
    return rtc


def livekit_config(
    *,
    mode: Mode,
    api_key: str,
    api_secret: str,
    webhook_url: str,
    domain: str,
    certificate: tuple[str, str] | None,
    ports: Ports = Ports(),  # noqa: B008 - frozen, never mutated
) -> dict[str, Any]:
    """The LiveKit server config as a mapping, ready to be dumped as YAML."""
    config: dict[str, Any] = {"port": ports.signal}
    if mode == "local":
        config["bind_addresses"] = ["127.0.0.1"]
    config.update(
        {
            "rtc": rtc_config(mode=mode, ports=ports),
            "keys": {api_key: api_secret},
            "webhook": {"api_key": api_key, "urls": [webhook_url]},
            "turn": {"enabled": False},
            "logging": {"level": "info"},
        }
    )
    if mode == "production":
        if certificate is None:
            raise ValueError("production needs the TURN/TLS certificate")
        config["turn"] = {
            "enabled": True,
            "domain": domain,
            "udp_port": TURN_UDP_PORT,
            "tls_port": TURN_TLS_PORT,
            "cert_file": certificate[0],
            "key_file": certificate[1],
        }
    return config


def write_private(path: Path, text: str) -> None:
    """Replaces `path` atomically with `text`, readable by its owner only (it holds the secret)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        # Whoever watches the file (the LiveKit entrypoint) never sees half of it.
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = "Writes LiveKit's config file (keys, ports, webhook, TURN) from this environment."

    def add_arguments(self, parser: CommandParser) -> None:
        env = os.environ.get
        parser.add_argument(
            "--mode",
            choices=["auto", "dev", "local", "production"],
            default=env("LIVEKIT_MODE", "auto"),
            help="production: TURN with TLS and the public address; dev: ICE on this machine's "
            "interfaces, no TURN, no public STUN; local: loopback only (listens on 127.0.0.1 and "
            "offers only 127.0.0.1 to peers). auto: production when DOMAIN is a public name, "
            "else dev (default: $LIVEKIT_MODE or auto).",
        )
        parser.add_argument("--port", type=int, default=SIGNAL_PORT, help="signalling port")
        parser.add_argument("--ice-tcp-port", type=int, default=ICE_TCP_PORT)
        parser.add_argument(
            "--udp-port",
            type=int,
            default=None,
            help="one UDP port for all media "
            f"(default: the range {MEDIA_PORTS[0]}-{MEDIA_PORTS[1]})",
        )
        parser.add_argument("--domain", default=env("DOMAIN", ""), help="default: $DOMAIN")
        parser.add_argument(
            "--webhook-url",
            default=env("LIVEKIT_WEBHOOK_URL", DEFAULT_WEBHOOK_URL),
            help=f"where LiveKit posts its webhooks (default: {DEFAULT_WEBHOOK_URL})",
        )
        parser.add_argument(
            "--certificates-dir",
            default=env("CADDY_CERTIFICATES_DIR", DEFAULT_CERTIFICATES_DIR),
            help="Caddy's certificates folder as the LiveKit container sees it",
        )
        parser.add_argument(
            "--acme-ca", default=env("ACME_CA", "") or LETS_ENCRYPT, help="default: $ACME_CA"
        )
        parser.add_argument("--output", "-o", default="-", help="file to write; - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        domain: str = options["domain"].strip()
        mode: Mode = options["mode"] if options["mode"] != "auto" else "dev"
        production = options["mode"] == "production" or (
            options["mode"] == "auto" and is_public_domain(domain)
        )
        if production:
            mode = "production"
        secret: str = settings.LIVEKIT_API_SECRET
        if production:
            if not is_public_domain(domain):
                raise CommandError("Production mode needs DOMAIN set to the server's public name.")
            if len(secret) < MIN_PRODUCTION_SECRET:
                raise CommandError(
                    f"LIVEKIT_API_SECRET must be at least {MIN_PRODUCTION_SECRET} characters "
                    "for LiveKit in production."
                )
        certificate = (
            caddy_certificate(
                certificates_dir=options["certificates_dir"],
                ca_url=options["acme_ca"],
                domain=domain,
            )
            if production
            else None
        )
        config = livekit_config(
            mode=mode,
            api_key=settings.LIVEKIT_API_KEY,
            api_secret=secret,
            webhook_url=options["webhook_url"],
            domain=domain,
            certificate=certificate,
            ports=Ports(
                signal=options["port"], ice_tcp=options["ice_tcp_port"], udp=options["udp_port"]
            ),
        )
        header = "# Written by `manage.py write_livekit_config`; edits are overwritten.\n"
        text = header + yaml.safe_dump(config, sort_keys=False, default_flow_style=False)
        if options["output"] == "-":
            self.stdout.write(text, ending="")
            return
        write_private(Path(options["output"]), text)
        turn = f"TURN for {domain}" if production else "TURN off"
        self.stderr.write(f"Wrote {options['output']} ({mode}: {turn}).")
