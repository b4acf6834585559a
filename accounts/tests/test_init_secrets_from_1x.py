"""`manage.py init_secrets --from-1x`: 1.x's secrets carried over, so its people's tokens stay
valid and calls keep their room keys; clear refusals for a file that is not 1.x's."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.support import jsonwebtoken

from .test_init_secrets import read_env

ONE_X = {
    "JWT_SECRET": "1x-jwt-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    "LIVEKIT_API_KEY": "APIoldkey123",
    "LIVEKIT_API_SECRET": "1x-livekit-secret-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
}


def _init(tmp_path: Path, one_x_env: str, *extra: str) -> tuple[dict[str, str], str]:
    source = tmp_path / "1x.env"
    source.write_text(one_x_env)
    target = tmp_path / ".env"
    out = io.StringIO()
    call_command(
        "init_secrets", "--from-1x", str(source), "--path", str(target), *extra, stdout=out
    )
    return read_env(target), out.getvalue()


def _lines(values: dict[str, str]) -> str:
    return "".join(f"{name}={value}\n" for name, value in values.items())


def test_carries_every_secret_1x_set(tmp_path):
    one_x = {**ONE_X, "E2EE_SECRET": "1x-e2ee-secret-own", "SERVER_CITY": "Durban"}

    values, out = _init(
        tmp_path, "# 1.x\nLIVEKIT_URL=ws://host.docker.internal:7881\n" + _lines(one_x)
    )

    assert {name: values[name] for name in one_x} == one_x
    assert len(values["DJANGO_SECRET_KEY"]) >= 40
    assert "LIVEKIT_URL" not in values
    assert "DJANGO_DEBUG" not in values
    assert "Carried over from" in out and "E2EE_SECRET" in out
    assert not any(secret in out for secret in one_x.values() if secret != "Durban")


@pytest.mark.parametrize("e2ee_line", ["E2EE_SECRET=\n", "E2EE_SECRET=  \n", ""])
def test_an_empty_e2ee_secret_carries_the_key_1x_really_used(tmp_path, e2ee_line):
    values, out = _init(tmp_path, _lines(ONE_X) + e2ee_line)

    assert values["E2EE_SECRET"] == ONE_X["JWT_SECRET"]
    assert "1.x left E2EE_SECRET empty and derived room keys from JWT_SECRET" in out


def test_quotes_and_export_read_as_the_server_reads_them(tmp_path):
    text = (
        'export JWT_SECRET="quoted jwt secret 0123456789abcdef"\n'
        "LIVEKIT_API_KEY='APIsingle'\n"
        "LIVEKIT_API_SECRET=plain#not-a-comment\n"
    )

    values, _ = _init(tmp_path, text)

    assert values["JWT_SECRET"] == "quoted jwt secret 0123456789abcdef"
    assert values["LIVEKIT_API_KEY"] == "APIsingle"
    assert values["LIVEKIT_API_SECRET"] == "plain#not-a-comment"


def test_dev_keeps_1xs_livekit_keys(tmp_path):
    values, _ = _init(tmp_path, _lines(ONE_X), "--dev")

    assert values["DJANGO_DEBUG"] == "1"
    assert (values["LIVEKIT_API_KEY"], values["LIVEKIT_API_SECRET"]) == (
        ONE_X["LIVEKIT_API_KEY"],
        ONE_X["LIVEKIT_API_SECRET"],
    )


def test_a_file_missing_required_secrets_is_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(CommandError) as refused:
        _init(tmp_path, "JWT_SECRET=only-this\nLIVEKIT_API_KEY=\n")

    assert str(refused.value).endswith(
        "1x.env does not set LIVEKIT_API_KEY, LIVEKIT_API_SECRET; 1.x refused to start without "
        "them, so this is not the environment 1.x ran with."
    )
    assert not (tmp_path / ".env").exists()


def test_a_missing_or_unreadable_file_is_refused(tmp_path):
    target = tmp_path / ".env"
    binary = tmp_path / "distokoloshe.db"
    binary.write_bytes(b"SQLite format 3\x00\xff\xfe\x00")
    cases = {
        tmp_path / "nope.env": "Cannot read 1.x's environment file .*: No such file or directory.",
        tmp_path: "Cannot read 1.x's environment file .*: Is a directory.",
        binary: "is not a text file of NAME=value lines.",
    }
    for source, message in cases.items():
        with pytest.raises(CommandError, match=message):
            call_command("init_secrets", "--from-1x", str(source), "--path", str(target))
    assert not target.exists()


def test_the_written_file_gives_1xs_room_keys_and_accepts_its_tokens(tmp_path):
    # Through the real settings loader, as the server will start with it.
    _init(tmp_path, _lines(ONE_X) + "E2EE_SECRET=\n")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "LIVEKIT_", "JWT_", "E2EE_", "DISTOKOLOSHE_"))
    }
    env.update(
        DISTOKOLOSHE_ENV_FILE=str(tmp_path / ".env"),
        DATA_DIR=str(tmp_path / "data"),
        ONE_X_TOKEN=jsonwebtoken.sign({"sub": 7, "username": "sam"}, ONE_X["JWT_SECRET"]),
    )
    script = (
        "import os; from sfu.livekit import e2ee_key; from accounts.tokens import token_claims; "
        "print(e2ee_key('General')); print(token_claims(os.environ['ONE_X_TOKEN'])['sub'])"
    )
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    result = subprocess.run(
        [*manage, "shell", "--verbosity", "0", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr

    key, sub = result.stdout.split()
    digest = hmac.new(ONE_X["JWT_SECRET"].encode(), b"General", hashlib.sha256).digest()
    assert key == base64.b64encode(digest).decode()
    assert sub == "7"
