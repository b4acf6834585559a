"""A deployment check: clips are decoded and encoded by ffmpeg, which must be installed."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning, register

from .audio import tools_present


@register()
def ffmpeg_installed(**kwargs: Any) -> list[CheckMessage]:
    """Warns when ffmpeg or ffprobe is missing: every clip upload would be refused."""
    if tools_present():
        return []
    return [
        Warning(
            "ffmpeg and ffprobe are not on the PATH: soundboard uploads will be refused.",
            hint="Install ffmpeg (Debian: apt-get install ffmpeg).",
            id="soundboard.W001",
        )
    ]
