"""The npm `jsonwebtoken` library 1.x's server minted and verified its bearer tokens with (the
same version, a devDependency in package.json), called through node with 1.x's options."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = """
const jwt = require("jsonwebtoken");
const [op, secret, arg] = process.argv.slice(1);
const out = op === "sign"
  ? jwt.sign(JSON.parse(arg), secret, { expiresIn: "7d", algorithm: "HS256" })
  : JSON.stringify(jwt.verify(arg, secret, { algorithms: ["HS256"] }));
process.stdout.write(out);
"""


def _node(*args: str) -> str:
    if not (ROOT / "node_modules" / "jsonwebtoken").is_dir():
        raise RuntimeError("node_modules/jsonwebtoken is missing: run `npm ci`")
    result = subprocess.run(
        ["node", "-e", _SCRIPT, *args], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    if result.returncode != 0:
        raise AssertionError(f"jsonwebtoken refused: {result.stderr.strip()}")
    return result.stdout


def sign(claims: dict[str, Any], secret: str) -> str:
    """`jwt.sign(claims, secret, {expiresIn: '7d', algorithm: 'HS256'})`, as 1.x logged in."""
    return _node("sign", secret, json.dumps(claims))


def verify(token: str, secret: str) -> dict[str, Any]:
    """`jwt.verify(token, secret, {algorithms: ['HS256']})`, as 1.x checked every request;
    raises AssertionError with jsonwebtoken's reason if it refuses."""
    claims: dict[str, Any] = json.loads(_node("verify", secret, token))
    return claims
