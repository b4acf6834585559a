"""The app image's own pieces: its Dockerfile's promises and the scripts it runs, run for real."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml

from harness.servers import TEST_SECRETS, free_port, wait_for_port

from . import compose_file

DOCKERFILE = compose_file.DOCKER / "Dockerfile"


def final_stage() -> list[str]:
    lines = [line.strip() for line in DOCKERFILE.read_text().splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    last_from = max(i for i, line in enumerate(instructions) if line.startswith("FROM "))
    return instructions[last_from:]


def test_the_app_image_is_slim_python_311_and_runs_unprivileged():
    stage = final_stage()
    assert stage[0].startswith("FROM python:3.11-slim")
    users = [line.split()[1] for line in stage if line.startswith("USER ")]
    assert users == ["app"]
    user_at = next(i for i, line in enumerate(stage) if line.startswith("USER "))
    assert any(line.startswith("CMD ") for line in stage[user_at:])


def test_scripts_the_image_and_compose_run_are_valid_posix_shell():
    scripts = sorted(compose_file.DOCKER.glob("*.sh"))
    assert {s.name for s in scripts} >= {
        "app-start.sh",
        "collect-static.sh",
        "livekit-entrypoint.sh",
    }
    for script in scripts:
        result = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, f"{script.name}: {result.stderr}"
        assert script.read_text().startswith("#!/bin/sh\n")


@pytest.mark.slow
def test_the_app_container_start_migrates_writes_livekit_config_and_serves(tmp_path: Path):
    port = free_port()
    config = tmp_path / "livekit" / "livekit.yaml"
    env = compose_file.local_app_env(
        tmp_path,
        REDIS_URL="",
        LIVEKIT_CONFIG_FILE=str(config),
        APP_BIND="127.0.0.1",
        APP_PORT=str(port),
    )
    log = tmp_path / "start.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["sh", str(compose_file.DOCKER / "app-start.sh")],
            cwd=tmp_path,  # the script finds the project itself, as from the image's WORKDIR
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, timeout=120, process=process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=10) as reply:
            assert json.loads(reply.read()) == {"status": "ok"}
        written = yaml.safe_load(config.read_text())
        assert written["keys"] == {
            TEST_SECRETS["LIVEKIT_API_KEY"]: TEST_SECRETS["LIVEKIT_API_SECRET"]
        }
        assert written["turn"]["domain"] == "chat.example.com"
        assert "Applying accounts.0001_initial... OK" in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_app_image_has_ffmpeg_for_soundboard_uploads():
    # Without it every clip upload is refused with 503 (and `manage.py check` warns).
    runs = [line for line in final_stage() if line.startswith("RUN ")]
    assert any("apt-get install" in line and " ffmpeg" in line for line in runs)
