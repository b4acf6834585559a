"""A private PostgreSQL cluster from Debian's packages, for tests that run the production layout.

The cluster lives in a temporary folder and listens on a free loopback port with password
(SCRAM) authentication, as the compose stack's database does. PostgreSQL refuses to run as root,
so under root (CI) its commands run as the unprivileged `postgres` user the package creates.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .servers import free_port

PG_ROOT = Path("/usr/lib/postgresql")


@dataclass(frozen=True)
class PostgresServer:
    port: int
    user: str
    password: str
    database: str

    @property
    def url(self) -> str:
        return f"postgres://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"


def pg_bin() -> Path:
    """The newest installed server's bin folder (Debian keeps one per major version)."""
    versions = sorted(
        (p for p in PG_ROOT.glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not versions:
        raise RuntimeError(f"no PostgreSQL server under {PG_ROOT}: apt-get install postgresql")
    return versions[-1]


def _as_owner(owner: pwd.struct_passwd | None) -> list[str]:
    return ["runuser", "-u", owner.pw_name, "--"] if owner else []


def _chown_tree(root: Path, owner: pwd.struct_passwd) -> None:
    for path in [root, *root.rglob("*")]:
        os.chown(path, owner.pw_uid, owner.pw_gid)


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


@contextmanager
def postgres_server(database: str = "distokoloshe") -> Iterator[PostgresServer]:
    """A fresh cluster with one database owned by a password-authenticated user."""
    import psycopg

    bin_dir = pg_bin()
    owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
    workdir = Path(tempfile.mkdtemp(prefix="postgres-"))
    data, sockets, log = workdir / "data", workdir / "sockets", workdir / "server.log"
    server = PostgresServer(
        port=free_port(), user="distokoloshe", password=os.urandom(12).hex(), database=database
    )
    sockets.mkdir()
    (workdir / "password").write_text(server.password)
    if owner:
        _chown_tree(workdir, owner)
    pg_ctl = [*_as_owner(owner), str(bin_dir / "pg_ctl"), "-D", str(data)]
    started = False
    try:
        _run(
            [
                *_as_owner(owner),
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                server.user,
                f"--pwfile={workdir / 'password'}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--no-locale",
            ]
        )
        options = f"-p {server.port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run([*pg_ctl, "-l", str(log), "-w", "-t", "60", "-o", options, "start"])
        started = True
        with psycopg.connect(
            host="127.0.0.1",
            port=server.port,
            user=server.user,
            password=server.password,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        yield server
    finally:
        if started:
            subprocess.run([*pg_ctl, "-m", "fast", "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(workdir, ignore_errors=True)
