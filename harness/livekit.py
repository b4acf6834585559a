"""The real LiveKit server (the SFU) for tests, loopback only.

Built by `./bin/check` from the Go module pinned in tools/livekit into .cache/livekit. Its config
comes from our own `write_livekit_config --mode local` (what `./bin/dev` runs too): it listens on
127.0.0.1, offers only 127.0.0.1 to peers, hands out no public STUN server, and posts its webhooks
to the app server under test.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .servers import ROOT, AppServer, free_port, manage, wait_for_port

LIVEKIT_BIN = ROOT / ".cache" / "livekit" / "livekit-server"
MISSING = (
    "The LiveKit server is not built: run ./bin/check (it builds .cache/livekit/livekit-server)."
)


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SfuPorts:
    signal: int = field(default_factory=free_port)
    udp: int = field(default_factory=free_udp_port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.signal}"


@dataclass
class LiveKitServer:
    ports: SfuPorts
    config_path: Path
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return self.ports.url

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(LIVEKIT_BIN), "--config", str(self.config_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.ports.signal, process=self.process)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def restart(self, *, down_for: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextmanager
def livekit_server(
    *, ports: SfuPorts, app_env: Mapping[str, str], webhook_url: str, folder: Path
) -> Iterator[LiveKitServer]:
    """LiveKit on `ports`, sharing the keys in `app_env`, posting webhooks to `webhook_url`."""
    if not LIVEKIT_BIN.exists():
        raise RuntimeError(MISSING)
    config_path = folder / "livekit.yaml"
    manage(
        "write_livekit_config",
        "--mode=local",
        f"--port={ports.signal}",
        f"--udp-port={ports.udp}",
        f"--webhook-url={webhook_url}",
        f"--output={config_path}",
        env=app_env,
    )
    server = LiveKitServer(ports=ports, config_path=config_path, log_path=folder / "livekit.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class CallStack:
    """An app server with the real LiveKit server beside it, proxied at /livekit/ as
    `./bin/dev` runs them."""

    app: AppServer
    sfu: LiveKitServer


@contextmanager
def call_stack(
    start_app: Callable[[Mapping[str, str]], AbstractContextManager[AppServer]],
    extra_env: Mapping[str, str],
) -> Iterator[CallStack]:
    """`start_app(env)` told where the SFU is, then the SFU posting its webhooks to it."""
    ports = SfuPorts()
    folder = Path(tempfile.mkdtemp(prefix="distokoloshe-sfu-"))
    env = {**extra_env, "LIVEKIT_URL": ports.url, "LIVEKIT_PROXY": "1"}
    try:
        with start_app(env) as app:
            webhook = f"{app.url}/api/livekit/webhook"
            with livekit_server(
                ports=ports, app_env=app.env, webhook_url=webhook, folder=folder
            ) as sfu:
                yield CallStack(app=app, sfu=sfu)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
