"""`.env.example` documents every variable the settings read."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

INTERNAL = {"DISTOKOLOSHE_TESTING"}


def test_every_setting_read_from_the_environment_is_in_env_example():
    root = Path(settings.BASE_DIR)
    source = (root / "distokoloshe" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', source))
    read |= set(re.findall(r'_secret\("([A-Z0-9_]+)"\)', source))
    documented = set(re.findall(r"^#? ?([A-Z0-9_]+)=", (root / ".env.example").read_text(), re.M))
    assert read - INTERNAL - documented == set()
