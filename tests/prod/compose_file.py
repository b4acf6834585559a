"""docker/compose.yml as Docker Compose reads it: YAML (anchors and merge keys included), then
`${VAR}` interpolation from an environment, so tests can check what a container would get."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from harness.servers import TEST_SECRETS

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE_FILE = DOCKER / "compose.yml"
# A deployment's .env: init_secrets' variables plus the operator's domain.
DEPLOYMENT = {"DOMAIN": "chat.example.com", **TEST_SECRETS}

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class MissingVariable(Exception):
    """A `${VAR:?message}` whose variable is unset or empty: Compose refuses to start."""


def load() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return loaded


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Compose's interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
    ${VAR:?error}, ${VAR?error}, with nested expressions in defaults."""
    value, end = _expand(text, 0, env, closing=False)
    assert end == len(text)
    return value


def _expand(text: str, i: int, env: Mapping[str, str], *, closing: bool) -> tuple[str, int]:
    out: list[str] = []
    while i < len(text):
        char = text[i]
        if closing and char == "}":
            return "".join(out), i
        if char != "$":
            out.append(char)
            i += 1
        elif text.startswith("$$", i):
            out.append("$")
            i += 2
        elif text.startswith("${", i):
            value, i = _braced(text, i + 2, env)
            out.append(value)
        elif match := _NAME.match(text, i + 1):
            out.append(env.get(match.group(), ""))
            i = match.end()
        else:
            out.append(char)
            i += 1
    if closing:
        raise ValueError(f"unterminated ${{ in {text!r}")
    return "".join(out), i


def _braced(text: str, i: int, env: Mapping[str, str]) -> tuple[str, int]:
    match = _NAME.match(text, i)
    if match is None:
        raise ValueError(f"bad variable name in {text!r}")
    name, i = match.group(), match.end()
    current = env.get(name)
    operator = next((op for op in (":-", ":?", "-", "?") if text.startswith(op, i)), "")
    argument, i = _expand(text, i + len(operator), env, closing=True)
    unset_or_empty = not current
    if operator in (":-", "-"):
        use_default = unset_or_empty if operator == ":-" else current is None
        return (argument if use_default else current or ""), i + 1
    missing = unset_or_empty if operator == ":?" else current is None
    if operator in (":?", "?") and missing:
        raise MissingVariable(argument or f"{name} is required")
    return current or "", i + 1


def interpolated(env: Mapping[str, str]) -> dict[str, Any]:
    """The whole file with every string interpolated from `env`."""

    def walk(node: Any) -> Any:
        if isinstance(node, str):
            return interpolate(node, env)
        if isinstance(node, list):
            return [walk(item) for item in node]
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        return node

    result: dict[str, Any] = walk(load())
    return result


def service_environment(service: str, env: Mapping[str, str]) -> dict[str, str]:
    """What the container's environment holds: `env` (standing in for .env, which every app
    service loads as env_file), overridden by the service's own `environment`."""
    declared = interpolated(env)["services"][service].get("environment", {})
    result = dict(env)
    result.update({key: "" if value is None else str(value) for key, value in declared.items()})
    return result


def local_app_env(data_dir: Path, **overrides: str) -> dict[str, str]:
    """The app container's environment for DEPLOYMENT, with its database and data moved into
    `data_dir` and `python` on PATH as in the image, so it runs on this machine."""
    env = service_environment("app", DEPLOYMENT)
    env.update(
        {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "DISTOKOLOSHE_ENV_FILE": os.devnull,
            "DATA_DIR": str(data_dir),
            "DATABASE_URL": f"sqlite:///{data_dir / 'db.sqlite3'}",
        }
    )
    env.update(overrides)
    return env
