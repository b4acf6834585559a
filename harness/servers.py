"""Real server processes for tests and benchmarks: the app server and redis-server, on loopback.

Tests that must see the product as users run it (SSE, several processes, browsers, restarts)
start these; everything listens on 127.0.0.1 only and is stopped when the test ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Long secrets: PyJWT warns about HMAC keys under 32 bytes.
TEST_SECRETS = {
    "DJANGO_SECRET_KEY": "test-django-secret-key-0123456789abcdef0123456789abcdef",
    "JWT_SECRET": "test-jwt-secret-0123456789abcdef0123456789abcdef0123",
    "E2EE_SECRET": "test-e2ee-secret-0123456789abcdef0123456789abcdef012",
    "LIVEKIT_API_KEY": "testkey",
    "LIVEKIT_API_SECRET": "test-livekit-secret-0123456789abcdef0123456789abcdef",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(
    port: int, *, timeout: float = 20.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout}s")


@dataclass
class RedisServer:
    port: int
    workdir: str
    process: subprocess.Popen[bytes] = field(init=False)

    def __post_init__(self) -> None:
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Starts redis-server on this port (again, after stop: an empty Redis, as a restart
        without persistence leaves it)."""
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        options = ["--save", "", "--appendonly", "no", "--dir", self.workdir]
        self.process = subprocess.Popen(
            [*command, *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for_port(self.port, process=self.process)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    """A private redis-server on a free port, discarded afterwards."""
    workdir = tempfile.mkdtemp(prefix="redis-")
    server = None
    try:
        server = RedisServer(port=free_port(), workdir=workdir)
        yield server
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def app_env(*, data_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for an app process: test secrets, its own SQLite file, no developer .env."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "DATABASE_"))
    }
    env.update(TEST_SECRETS)
    env.update(
        {
            "DISTOKOLOSHE_ENV_FILE": os.devnull,
            "DJANGO_SETTINGS_MODULE": "distokoloshe.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_USE_HTTPS": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATA_DIR": str(data_dir),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def manage_run(*args: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Runs a management command with `env`; the caller reads its status and output."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def manage(*args: str, env: Mapping[str, str]) -> str:
    """Runs a management command with `env` and returns its output; raises on failure."""
    result = manage_run(*args, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@dataclass
class AppServer:
    """One app server process (distokoloshe.serve, as every deployment runs it)."""

    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    _log: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self._log = log
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distokoloshe.serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        # Importing Django and uvicorn takes a while on a loaded machine.
        wait_for_port(self.port, timeout=60.0, process=self.process)

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to clean up, as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._log is not None:
            self._log.close()  # type: ignore[attr-defined]
            self._log = None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextmanager
def app_servers(
    count: int = 1, *, extra_env: Mapping[str, str] | None = None, data_dir: Path | None = None
) -> Iterator[list[AppServer]]:
    """`count` app server processes sharing one freshly migrated database (SQLite unless
    `extra_env` gives DATABASE_URL). Give REDIS_URL in `extra_env` for more than one."""
    owned = data_dir is None
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="distokoloshe-"))
    env = app_env(data_dir=data_dir, extra=extra_env)
    manage("migrate", "--noinput", env=env)
    servers = [
        AppServer(port=free_port(), env=env, log_path=data_dir / f"server-{i}.log")
        for i in range(count)
    ]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()
        if owned:
            shutil.rmtree(data_dir, ignore_errors=True)


@contextmanager
def command_process(
    command: str, env: Mapping[str, str], *, log_path: Path, ready: bytes, stop: int
) -> Iterator[subprocess.Popen[bytes]]:
    """`manage.py <command>` as its own process, as production runs it; waits until its log
    says `ready`, and afterwards sends it `stop` (killed if it lingers)."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", command],
            cwd=ROOT,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            # A loaded machine takes a while to import Django and LiveKit's native library.
            deadline = time.monotonic() + 60
            while ready not in log_path.read_bytes():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command} did not start:\n{log_path.read_text()}")
                time.sleep(0.05)
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(stop)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


def scheduler_process(
    env: Mapping[str, str], *, log_path: Path
) -> contextlib.AbstractContextManager[subprocess.Popen[bytes]]:
    """`manage.py run_scheduler` (give the app processes SCHEDULER_IN_PROCESS=false)."""
    return command_process(
        "run_scheduler", env, log_path=log_path, ready=b"Scheduler running", stop=signal.SIGINT
    )


@contextmanager
def production_static_server(extra_env: Mapping[str, str]) -> Iterator[AppServer]:
    """One app server with production static files (hashed names from `collectstatic`, CSP on) on a
    fresh database: what the browser tests and the browser benchmark drive."""
    base = Path(tempfile.mkdtemp(prefix="distokoloshe-web-"))
    (data_dir := base / "data").mkdir()
    extra = {"DISTOKOLOSHE_TESTING": "0", **extra_env, "STATIC_ROOT": str(base / "static")}
    try:
        manage("collectstatic", "--noinput", env=app_env(data_dir=data_dir, extra=extra))
        with app_servers(1, extra_env=extra, data_dir=data_dir) as servers:
            yield servers[0]
    finally:
        shutil.rmtree(base, ignore_errors=True)
