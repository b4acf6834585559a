"""`manage.py init_secrets`: a fresh .env with long random secrets, never overwriting one."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

SECRETS = ["DJANGO_SECRET_KEY", "JWT_SECRET", "E2EE_SECRET", "LIVEKIT_API_SECRET"]


def read_env(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            name, value = line.split("=", 1)
            values[name] = value
    return values


def test_writes_long_random_secrets_readable_only_by_the_owner(tmp_path):
    target = tmp_path / ".env"

    call_command("init_secrets", "--path", str(target))

    values = read_env(target)
    for name in SECRETS:
        assert len(values[name]) >= 40, name
    assert values["LIVEKIT_API_KEY"].startswith("API")
    assert "DJANGO_DEBUG" not in values
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = tmp_path / "again.env"
    call_command("init_secrets", "--path", str(again))
    assert all(read_env(again)[name] != values[name] for name in SECRETS)
    assert len({values[name] for name in SECRETS}) == len(SECRETS)


def test_dev_turns_on_debug_and_keeps_the_media_address_relative(tmp_path):
    target = tmp_path / ".env"

    call_command("init_secrets", "--dev", "--path", str(target))

    values = read_env(target)
    assert values["DJANGO_DEBUG"] == "1"
    # 1.x clients glue the join response's wsUrl to the page's origin: it must stay /livekit/,
    # which ./bin/dev proxies to its SFU.
    assert "LIVEKIT_PUBLIC_URL" not in values
    assert "LIVEKIT_URL" not in values
    # LiveKit refuses secrets under 32 characters outside its own --dev mode.
    assert len(values["LIVEKIT_API_SECRET"]) >= 32
    assert len(values["JWT_SECRET"]) >= 40


def test_refuses_to_overwrite_an_existing_file(tmp_path):
    target = tmp_path / ".env"
    target.write_text("JWT_SECRET=keep-me\n")

    with pytest.raises(CommandError, match="already exists"):
        call_command("init_secrets", "--dev", "--path", str(target))

    assert target.read_text() == "JWT_SECRET=keep-me\n"


def test_runs_on_a_fresh_machine_without_any_secret(tmp_path):
    # Settings refuse to start without secrets, except for the command that writes them.
    target = tmp_path / ".env"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_DEBUG", "DISTOKOLOSHE_TESTING", "DJANGO_SETTINGS_MODULE", *SECRETS}
        and not key.startswith("LIVEKIT_")
    }
    env["DISTOKOLOSHE_ENV_FILE"] = str(target)
    env["DATA_DIR"] = str(tmp_path / "data")
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]

    written = subprocess.run(
        [*manage, "init_secrets", "--path", str(target)], env=env, capture_output=True, text=True
    )
    assert written.returncode == 0, written.stderr
    assert all(len(read_env(target)[name]) >= 40 for name in SECRETS)
